"""``{% menu_url 'name' %}``: ``{% url 'name' %}`` for routes without arguments, reversed once per process
(lawdesk.core.urls_cache)."""

from __future__ import annotations

from django import template

from lawdesk.core.urls_cache import path_of

register = template.Library()


@register.simple_tag
def menu_url(name: str) -> str:
    return path_of(name)
