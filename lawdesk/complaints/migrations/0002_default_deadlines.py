"""City-wide deadlines of complaints (plan 五(四)6): the department acknowledges within 1 working day and
answers within 15. They are ordinary DeadlineRule rows, changed in the Django admin like any other; a rule
already configured for complaints is left as it is."""

from typing import Any

from django.db import migrations

DEFAULTS = {"accept": 1, "outcome": 15}


def add_rules(apps: Any, schema_editor: Any) -> None:
    DeadlineRule = apps.get_model("workcal", "DeadlineRule")
    for stage, days in DEFAULTS.items():
        DeadlineRule.objects.get_or_create(
            node=None, kind="complaint", stage=stage, defaults={"working_days": days}
        )


def remove_rules(apps: Any, schema_editor: Any) -> None:
    DeadlineRule = apps.get_model("workcal", "DeadlineRule")
    for stage, days in DEFAULTS.items():
        DeadlineRule.objects.filter(node=None, kind="complaint", stage=stage, working_days=days).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("workcal", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_rules, remove_rules)]
