"""The assistant's first FAQ base (lawdesk.online.faq_seed); the admin keeps it afterwards."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.online.faq_seed import load

    load(apps.get_model("online", "Faq"))


def unseed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.online.faq_seed import FAQS

    apps.get_model("online", "Faq").objects.filter(question__in=[q for _, q, _, _ in FAQS]).delete()


class Migration(migrations.Migration):
    dependencies = [("online", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
