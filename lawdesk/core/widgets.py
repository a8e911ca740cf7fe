"""Widgets shared by the pages' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python: the same HTML as Django's templates (the attributes, ``selected``, the
    option groups) without rendering a template per option, which cost about 10 ms per 100 options (issue 21: a
    city-wide list of units on the staff pages)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _ in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                f'<option value="{conditional_escape(o["value"])}"{_option_attrs(o["attrs"])}>'
                f"{conditional_escape(o['label'])}</option>"
                for o in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label is escaped above


class PlainTextInput(forms.TextInput):
    """A text ``<input>`` written in Python, the same HTML as Django's template (issue 21: the forms on a page
    that mostly shows records)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, flatatt(widget["attrs"])
        )


def _option_attrs(attrs: dict[str, Any]) -> str:
    if not attrs:
        return ""
    if attrs == {"selected": True}:
        return " selected"
    return str(flatatt(attrs))
