"""``{% menu_url 'name' %}``: ``{% url 'name' %}`` for routes without arguments, reversed once per process.

The menu in base.html names some forty routes on every page; reversing each on every request was a tenth of a
plain page's CPU (bench/page_cost.py). A route without arguments reverses to the same path until the URL
configuration or the script prefix changes, so both are part of the key and a changed ROOT_URLCONF (tests)
empties the cache."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_reversed: dict[tuple[str, str, Any], str] = {}


@register.simple_tag
def menu_url(name: str) -> str:
    key = (name, get_script_prefix(), get_urlconf())
    path = _reversed.get(key)
    if path is None:
        path = _reversed[key] = reverse(name)
    return path


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.clear()
