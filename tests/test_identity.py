"""Resident ID numbers (GB 11643-1999): check digit, birth date, gender, age; masking; pinyin initials."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from lawdesk.people.identity import (
    check_digit,
    mask_id_number,
    mask_phone,
    name_initials,
    parse_id_number,
)

TODAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),  # the example of GB 11643-1999
        ("61011319900307123", "7"),
        ("61011319500101002", "9"),
        ("44030719880808888", "5"),  # 414 mod 11 = 7 → "5"
    ],
)
def test_check_digit_follows_gb_11643(first17: str, expected: str) -> None:
    assert check_digit(first17) == expected


def test_parse_reads_birth_date_gender_and_region() -> None:
    info = parse_id_number("610113199003071237", today=TODAY)
    assert info.birth_date == datetime.date(1990, 3, 7)
    assert info.gender == "male"  # 17th digit 3 is odd
    assert info.region_code == "610113"
    female = parse_id_number("610113195001010029", today=TODAY)
    assert female.gender == "female"  # 17th digit 2 is even


def test_lower_case_x_and_spaces_are_accepted() -> None:
    assert parse_id_number(" 110105 19491231 002x ", today=TODAY).number == "11010519491231002X"


def test_age_counts_whole_years_up_to_the_birthday() -> None:
    info = parse_id_number("610113199003071237", today=TODAY)
    assert info.age_on(datetime.date(2026, 3, 6)) == 35
    assert info.age_on(datetime.date(2026, 3, 7)) == 36
    assert info.age_on(TODAY) == 36


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("610113199003071238", "身份证号码校验位不正确，请核对是否输错。"),
        ("610113199002301234", "身份证号码中的出生日期“19900230”不存在。"),
        ("610113202712011234", "身份证号码中的出生日期“2027-12-01”不合理。"),
        ("610113188001011234", "身份证号码中的出生日期“1880-01-01”不合理。"),
        ("61011319900307123", "身份证号码应为18位：前17位是数字，最后一位是数字或X。"),
        ("61011319900307123A", "身份证号码应为18位：前17位是数字，最后一位是数字或X。"),
        ("", "身份证号码应为18位：前17位是数字，最后一位是数字或X。"),
    ],
    ids=["check-digit", "no-such-date", "future", "too-old", "too-short", "bad-letter", "empty"],
)
def test_bad_numbers_are_refused_with_a_chinese_reason(number: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_id_number(number, today=TODAY)
    assert caught.value.messages == [message]


def test_leap_day_is_a_real_birth_date() -> None:
    first17 = "61011320000229001"
    assert parse_id_number(first17 + check_digit(first17), today=TODAY).birth_date == datetime.date(
        2000, 2, 29
    )
    first17 = "61011319000229001"  # 1900 was not a leap year
    with pytest.raises(ValidationError, match="不存在"):
        parse_id_number(first17 + check_digit(first17), today=TODAY)


def test_masking_keeps_only_the_ends() -> None:
    assert mask_id_number("610113199003071237") == "6101**********1237"
    assert mask_id_number("12345678") == "********"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("029-88889999") == "029*****9999"
    assert mask_phone("12348") == "*****"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("张三", "zs"),
        ("欧阳娜娜", "oynn"),
        ("王2", "w2"),
        ("Anna", "a"),
        ("李 四", "ls"),
        ("单田芳", "stf"),
        ("曾国藩", "zgf"),
    ],
)
def test_pinyin_initials_find_a_returning_person(name: str, initials: str) -> None:
    assert name_initials(name) == initials
