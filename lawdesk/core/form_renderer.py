"""The form renderer (``FORM_RENDERER``): Django's own, with the widgets that repeat per option built in Python.

A ``<select>`` of 200 options, or 200 checkboxes, costs Django's template renderer one ``include`` of
``select_option.html`` (or ``input_option.html`` → ``input.html``) and one of ``attrs.html`` per option: on the
service form that was most of the page's CPU (issue 21). :class:`FastRenderer` writes the markup of Django's
templates listed in :data:`FAST` itself, byte for byte what those templates give (tests/test_form_renderer.py
compares the two on every widget kind), and leaves every other template to Django.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

W = "django/forms/widgets/"


def text(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped unless already safe."""
    if type(value) is str:  # the common case: nothing to localise, not marked safe
        return html.escape(value)  # what django.utils.html.escape does, without its lazy-string wrapper
    return str(conditional_escape(localize(template_localtime(value))))


def _s(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: ``str()``, escaped unless the value was safe."""
    if type(value) is str or type(value) is int:
        return html.escape(str(value))
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {text(name)}" if value is True else f' {text(name)}="{_s(value)}"')
    return "".join(out)


def input_html(widget: Mapping[str, Any]) -> str:
    """input.html (and every input widget's template that only includes it), with its final newline."""
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(widget: Mapping[str, Any]) -> str:
    """input_option.html (and checkbox_option.html / radio_option.html, which only include it)."""
    if not widget.get("wrap_label"):
        return input_html(widget) + "\n"
    for_id = widget["attrs"].get("id")
    label_for = f' for="{text(for_id)}"' if for_id else ""
    return f"<label{label_for}>{input_html(widget)} {text(widget['label'])}</label>\n"


def _select_option(widget: Mapping[str, Any]) -> str:
    """select_option.html."""
    return (
        f'<option value="{_s(widget["value"])}"{_attrs(widget["attrs"])}>{text(widget["label"])}</option>\n'
    )


def _select(widget: Mapping[str, Any]) -> str:
    """select.html, each option as select_option.html."""
    out = [f'<select name="{text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != W + "select_option.html":
                return ""  # a widget of its own: let Django render it
            out.append("\n  " + _select_option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


INPUTS = ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search",
          "tel", "color", "checkbox")  # fmt: skip
FAST: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"{W}{name}.html": input_html for name in INPUTS},
    W + "input_option.html": _input_option,
    W + "checkbox_option.html": lambda w: _input_option(w) + "\n",
    W + "radio_option.html": lambda w: _input_option(w) + "\n",
    W + "select_option.html": _select_option,
    W + "select.html": _select,
}


class FastRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST.get(template_name)
        widget = context.get("widget")
        if fast is not None and isinstance(widget, Mapping) and len(context) == 1:
            out = fast(widget)
            if out:
                return out.strip()
        return super().render(template_name, context, request)
