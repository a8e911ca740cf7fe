"""Helpers shared by the pages' forms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeString, mark_safe

from lawdesk.core import form_renderer


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: each message under the field it names when the form has that field,
    the rest at the top of the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class RowChoiceIterator(ModelChoiceIterator):
    """A model choice field's options read as rows, ``(pk, label_from_row(*row))`` for ``label_fields``: no model
    object per option (a list of hundreds of nodes or matters built as many objects, with every field of each
    converted). Validation still goes through the field's queryset, as Django's."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        key = field.to_field_name or "pk"
        rows = getattr(field, "rows", None)  # the rows, when the page read them once for several forms
        if rows is None:
            rows = self.queryset.values_list(key, *field.label_fields)
        for value, *row in rows:
            yield (value, field.label_from_row(*row))


class LabelledCheckboxes(forms.CheckboxSelectMultiple):
    """Every option as ``<label><input type="checkbox" …> label</label>``, one after another: what a page's
    ``{% for box in field %}<label>{{ box.tag }} {{ box.choice_label }}</label>{% endfor %}`` writes, in one pass
    (a loop of two template lookups per box over 200 matters cost more than the rest of the form). Nothing at all
    when there is no option, so the page can say so."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)
        return mark_safe(
            "".join(
                f"<label>{form_renderer.input_html(option).strip()} {form_renderer.text(option['label'])}</label>"
                for _group, options, _index in context["widget"]["optgroups"]
                for option in options
            )
        )
