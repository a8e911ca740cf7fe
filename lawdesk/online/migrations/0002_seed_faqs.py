"""The assistant's first FAQ base (lawdesk.online.faq_seed); the admin keeps it afterwards."""

from typing import Any

from django.db import migrations



def seed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.online.faq_seed import FAQS as seed_faqs

    Faq = apps.get_model("online", "Faq")
    for order, (category, question, keywords, answer) in enumerate(seed_faqs, start=1):
        Faq.objects.get_or_create(
            question=question,
            defaults={"category": category, "keywords": keywords, "answer": answer, "order": order * 10},
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    from lawdesk.online.faq_seed import FAQS as seed_faqs

    apps.get_model("online", "Faq").objects.filter(question__in=[q for _, q, _, _ in seed_faqs]).delete()


class Migration(migrations.Migration):
    dependencies = [("online", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
