"""Menu helper: whether the division board opens for the user (the city's readers, a division's staff)."""

from __future__ import annotations

from typing import Any

from django import template

from lawdesk.bureau import rules, selectors

register = template.Library()


@register.filter
def bureau_division(user: Any) -> bool:
    return rules.reads_city_board(user) or selectors.divisions_for(user).exists()
