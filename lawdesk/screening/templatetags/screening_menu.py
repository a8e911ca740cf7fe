"""Menu helpers: whether the screening and warning pages open for the user (the menu offers only those)."""

from __future__ import annotations

from typing import Any

from django import template

from lawdesk.screening import selectors

register = template.Library()


@register.filter
def screens(user: Any) -> bool:
    """The screening page: committee handlers, and every role that sees nodes (office, district, city)."""
    return selectors.sees_screening(user)


@register.filter
def sees_warnings(user: Any) -> bool:
    return selectors.sees_warnings(user)
