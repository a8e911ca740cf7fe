"""The printed application (法律援助申请表) and the receipt of materials (材料接收凭证), drawn by WeasyPrint from
the print templates; like the ledgers, the template may fetch nothing from outside."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from lawdesk.core import clock
from lawdesk.core.pdf import html_to_pdf
from lawdesk.legalaid.models import LegalAidApplication


def context(application: LegalAidApplication, *, full: bool) -> dict[str, Any]:
    from lawdesk.people.identity import mask_id_number, mask_phone

    person = application.matter.visit.person_as_told
    return {
        "application": application,
        "matter": application.matter,
        "person": person,
        "id_number": person.id_number if full else mask_id_number(person.id_number),
        "phone": person.phone if full else mask_phone(person.phone),
        "address": person.address if full else "",
        "assessment": application.assessment(),
        "printed_at": clock.localnow(),
    }


def render_pdf(template: str, ctx: dict[str, Any]) -> bytes:
    html = render_to_string(template, ctx)
    return html_to_pdf(html)
