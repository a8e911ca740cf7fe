"""Seed the judicial offices' standard, the districts' annual responsibility standard and the default
reward/penalty standards (drafted from the plan; the city edits them)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.assessment.seed import create_unit_standards

    create_unit_standards(
        apps.get_model("assessment", "Standard"),
        apps.get_model("assessment", "Indicator"),
        apps.get_model("assessment", "RewardRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_units_annual_rewards")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
