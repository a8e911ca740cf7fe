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


# The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from this alphabet (no I, O, S,
# V, Z), the last a check character over the first 17 with these weights.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if not code:
        return
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(
            f"统一社会信用代码“{value}”格式不对：应为18位数字或大写字母（不含I、O、S、V、Z）。"
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(f"统一社会信用代码“{value}”校验位不对，请核对后重新填写。")
