"""Validators shared by forms, imports and the API. Messages are Chinese and name what is wrong."""

import re

from django.core.exceptions import ValidationError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline with optional area code and extension: 029-88889999, 02988889999, 88889999-801
_LANDLINE = re.compile(r"^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$")
# Short service numbers: 12348, 110, 95xxx
_SERVICE = re.compile(r"^(1\d{2,4}|9\d{4})$")


def is_valid_phone(value: str) -> bool:
    value = value.strip().replace(" ", "")
    return bool(_MOBILE.match(value) or _LANDLINE.match(value) or _SERVICE.match(value))


def validate_phone(value: str) -> None:
    if value and not is_valid_phone(value):
        raise ValidationError(
            "电话号码“%(value)s”格式不正确：应为11位手机号、带区号的固定电话（如029-88889999）或服务热线（如12348）。",
            code="invalid_phone",
            params={"value": value},
        )


def validate_personal_phone(value: str) -> None:
    """A citizen's own number: a mobile or a landline, never a service number like 12348."""
    compact = value.strip().replace(" ", "")
    if value and not (_MOBILE.match(compact) or _LANDLINE.match(compact)):
        raise ValidationError(
            "联系电话“%(value)s”格式不正确：应为11位手机号或带区号的固定电话（如029-88889999）。",
            code="invalid_phone",
            params={"value": value},
        )
