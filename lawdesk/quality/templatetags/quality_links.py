"""``{% drill_url kind pk figure %}``: the link of one figure's records, the route reversed once per process
(a board of a hundred platforms writes six such links a row)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template

from lawdesk.core.urls_cache import path_pattern

register = template.Library()


@register.simple_tag
def drill_url(kind: str, pk: Any, figure: str) -> str:
    pattern = path_pattern("quality:drill", "node", 0, "service")
    return pattern.format(quote(str(kind), safe=""), int(pk), quote(str(figure), safe=""))
