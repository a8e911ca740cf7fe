"""Seed the default star-rating standard drafted from the plan (weights summing to 100)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.assessment.seed import create_default_standard

    create_default_standard(
        apps.get_model("assessment", "Standard"),
        apps.get_model("assessment", "Indicator"),
        apps.get_model("assessment", "StarBand"),
    )


def unseed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.assessment.seed import DEFAULT_NAME

    apps.get_model("assessment", "Standard").objects.filter(name=DEFAULT_NAME, version=1, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
