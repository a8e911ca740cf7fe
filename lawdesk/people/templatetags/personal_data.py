"""Template filters for masked personal data: ``{{ person.phone|masked_phone }}``, ``|masked_id``."""

from __future__ import annotations

from django import template

from lawdesk.people.identity import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value) if value else ""


@register.filter
def masked_id(value: str | None) -> str:
    return mask_id_number(value) if value else ""
