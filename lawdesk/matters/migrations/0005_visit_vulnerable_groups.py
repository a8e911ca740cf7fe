"""Visits keep the citizen's vulnerable groups as recorded at the visit. Existing visits take the person's
groups as they are now (the best that is known)."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_groups(apps: Any, schema_editor: Any) -> None:
    Visit = apps.get_model("matters", "Visit")
    Person = apps.get_model("people", "Person")
    groups = Person.objects.filter(pk=OuterRef("person_id")).values("vulnerable_groups")[:1]
    Visit.objects.exclude(person__vulnerable_groups="").update(vulnerable_groups=Subquery(groups))


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0004_visit_node_received"),
        ("people", "0003_encrypt_personal_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="vulnerable_groups",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=300, verbose_name="特殊群体"
            ),
        ),
        migrations.RunPython(copy_groups, migrations.RunPython.noop, elidable=True),
    ]
