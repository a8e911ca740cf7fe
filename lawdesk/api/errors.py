"""Errors in Chinese, in one shape: ``{"detail": "...", "code": "...", "errors": {"field": ["..."]}}``.

Validation errors name the field in Chinese (``"事项类别：该字段是必填项。"``) under its path (``person.name``,
``matters.0.kind``). Django's ValidationError (the services' messages), PermissionDenied and Http404 keep their
Chinese messages instead of DRF's generic ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _label(field: Any, key: str) -> str:
    label = getattr(field, "label", None)
    return str(label) if label else key


def flatten_errors(
    errors: Any, fields: Mapping[str, Any] | None = None, path: str = "", label_prefix: str = ""
) -> dict[str, list[str]]:
    """DRF's nested errors as ``{"a.0.b": ["标签：消息"]}``, each message prefixed with its field's label."""
    out: dict[str, list[str]] = {}

    def add(key: str, message: Any) -> None:
        out.setdefault(key or NON_FIELD, []).append(str(message))

    if isinstance(errors, Mapping):
        for key, value in errors.items():
            key = str(key)
            field = fields.get(key) if fields is not None else None
            full = f"{path}{key}"
            if key == NON_FIELD:
                for message in value if isinstance(value, list) else [value]:
                    if isinstance(message, (Mapping, list)):
                        out.update(flatten_errors(message, None, path, label_prefix))
                    else:
                        add(path.rstrip(".") or NON_FIELD, f"{label_prefix}{message}")
                continue
            label = _label(field, key)
            if isinstance(field, serializers.ListSerializer) and isinstance(value, list):
                child_fields = getattr(field.child, "fields", None)
                if any(isinstance(v, Mapping) for v in value):
                    for index, item in enumerate(value):
                        if item:
                            out.update(
                                flatten_errors(
                                    item, child_fields, f"{full}.{index}.", f"{label}第{index + 1}项·"
                                )
                            )
                    continue
            if isinstance(field, serializers.Serializer) and isinstance(value, Mapping):
                out.update(flatten_errors(value, field.fields, f"{full}.", f"{label_prefix}{label}·"))
                continue
            if isinstance(value, Mapping):  # a ListField's or DictField's child errors
                for sub, messages in value.items():
                    for message in messages if isinstance(messages, list) else [messages]:
                        add(
                            f"{full}.{sub}",
                            f"{label_prefix}{label}（第{int(sub) + 1}项）：{message}"
                            if str(sub).isdigit()
                            else f"{label_prefix}{label}：{message}",
                        )
                continue
            for message in value if isinstance(value, list) else [value]:
                add(full, f"{label_prefix}{label}：{message}")
    elif isinstance(errors, list):
        for message in errors:
            add(path.rstrip(".") or NON_FIELD, f"{label_prefix}{message}")
    else:
        add(path.rstrip(".") or NON_FIELD, f"{label_prefix}{errors}")
    return out


def django_errors(exc: DjangoValidationError, keys: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """A service's ValidationError as ``{field: [messages]}`` (``__all__`` becomes ``non_field_errors``);
    ``keys`` renames the service's field names to the API's."""
    if hasattr(exc, "error_dict"):
        out: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            name = NON_FIELD if key == "__all__" else (keys or {}).get(key, key)
            out.setdefault(name, []).extend(messages)
        return out
    return {NON_FIELD: list(exc.messages)}


class LabelledValidationError(exceptions.ValidationError):
    """Errors already flattened and labelled: passed through as they are."""


def validated(serializer: serializers.BaseSerializer[Any]) -> Any:
    """The serializer's validated data, or a 400 naming each field in Chinese."""
    if not serializer.is_valid():
        raise LabelledValidationError(flatten_errors(serializer.errors, getattr(serializer, "fields", None)))
    return serializer.validated_data


def raise_service_error(exc: DjangoValidationError, keys: Mapping[str, str] | None = None) -> None:
    raise LabelledValidationError(django_errors(exc, keys)) from exc


def _first(errors: Mapping[str, list[str]]) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return "输入有误。"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = LabelledValidationError(django_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "没有找到，或您无权查看。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您无权进行此操作。")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(exc, LabelledValidationError) and isinstance(response.data, Mapping):
            errors = {str(k): [str(m) for m in v] for k, v in response.data.items()}
        else:
            errors = flatten_errors(response.data)
        response.data = {"detail": _first(errors), "code": "invalid", "errors": errors}
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": str(code)}
    return response
