"""Template filters for masked personal data: ``{{ person.phone|masked_phone }}``, ``|masked_id``."""

from __future__ import annotations

from typing import Any

from django import template

from lawdesk.people.identity import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value) if value else ""


@register.filter
def masked_id(value: str | None) -> str:
    return mask_id_number(value) if value else ""


@register.simple_tag(takes_context=True)
def sees_in_full(context: template.Context, node: Any) -> bool:
    """Whether the user of the page may reveal personal data in full at ``node`` (the reveal still re-checks)."""
    from lawdesk.people.policy import Door, disclose

    request = context.get("request")
    return bool(
        request is not None and node is not None and disclose(request.user, node, Door.PAGE).may_reveal
    )
