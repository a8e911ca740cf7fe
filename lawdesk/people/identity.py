"""Chinese resident ID numbers (GB 11643-1999) and pinyin initials for finding a returning person."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from lawdesk.core import clock

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: datetime.date
    gender: str  # "male" | "female"
    region_code: str

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str, *, today: datetime.date | None = None) -> IdInfo:
    """Check an 18-character ID number and read the birth date, gender and region from it.

    Raises ValidationError with a Chinese message saying what is wrong."""
    number = value.strip().upper().replace(" ", "")
    if not _SHAPE.match(number):
        raise ValidationError("身份证号码应为18位：前17位是数字，最后一位是数字或X。", code="id_shape")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(f"身份证号码中的出生日期“{number[6:14]}”不存在。", code="id_birth") from exc
    today = today or clock.today()
    if birth > today or birth.year < 1890:
        raise ValidationError(f"身份证号码中的出生日期“{birth:%Y-%m-%d}”不合理。", code="id_birth")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对是否输错。", code="id_check")
    gender = "male" if int(number[16]) % 2 else "female"
    return IdInfo(number=number, birth_date=birth, gender=gender, region_code=number[:6])


# Surnames read differently from the character's common reading (单 shàn, not dān); the first character of a
# name is read this way. Compound surnames (欧阳, 司马) read regularly already.
SURNAME_INITIALS = {
    "单": "s", "解": "x", "仇": "q", "朴": "p", "查": "z", "区": "o", "盖": "g", "乐": "y", "覃": "q",
    "缪": "m", "翟": "z", "曾": "z", "秘": "b", "繁": "p", "员": "y", "尉": "y", "召": "s", "句": "g",
}  # fmt: skip


def name_initials(name: str) -> str:
    """张三 → zs, 单田芳 → stf; spaces dropped, Latin letters and digits kept (lower case)."""
    # pypinyin loads its phrase dictionary on import (0.17 s of CPU): only when initials are needed.
    from pypinyin import Style, lazy_pinyin

    compact = "".join(name.split())
    if not compact:
        return ""
    first = SURNAME_INITIALS.get(compact[0])
    rest = compact[1:] if first else compact
    initials = "".join(p[0] for p in lazy_pinyin(rest, style=Style.FIRST_LETTER) if p)
    return ((first or "") + initials).lower()


def mask_id_number(number: str) -> str:
    """6101**********1234: the first four and last four characters."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """139****5678."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
