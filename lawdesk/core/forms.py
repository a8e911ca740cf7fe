"""Helpers shared by the pages' forms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


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
        for value, *row in self.queryset.values_list(key, *field.label_fields):
            yield (value, field.label_from_row(*row))
