"""One reading of every number a person types: phones, visit numbers, one-time codes, tracking codes, ID numbers.

A Chinese keyboard types full-width digits (１３９…, ５０) as easily as ASCII ones, and Python's ``str.isdigit``
and ``\\d`` accept them; read as typed, ``５０`` and ``50`` would be two visit numbers, and ``13９…`` a second
phone — a fresh lockout key or a fresh daily limit for the same thing. Every door (the kiosk, the online forms,
the progress lookup, the window's search) passes what was typed through these helpers *before* any lookup,
limit or lock: Unicode NFKC (full-width to ASCII), every other script's decimal digits to ASCII, then only the
characters that matter.

Loaded by the logging filter and the settings' helpers too: it imports nothing from Django.
"""

from __future__ import annotations

import unicodedata


def text(value: object) -> str:
    """NFKC, and every Unicode decimal digit (Arabic-Indic, Devanagari, …) as its ASCII digit."""
    normal = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in normal)


def digits(value: object) -> str:
    """Only the digits, in ASCII: ``"１３９ 0000-1111"`` → ``"13900001111"``."""
    return "".join(c for c in text(value) if "0" <= c <= "9")


def number(value: object) -> int | None:
    """A typed whole number (a visit number: ``"００５０"`` → 50), or None when it holds anything but digits
    and spaces."""
    compact = "".join(text(value).split())
    if not compact or not compact.isascii() or not compact.isdigit():
        return None
    return int(compact)


def code(value: object) -> str:
    """A typed code (tracking code, one-time code): ASCII upper case, without spaces and hyphens."""
    compact = "".join(text(value).split()).replace("-", "").upper()
    return "".join(c for c in compact if c.isascii() and c.isalnum())


def id_number(value: object) -> str:
    """A typed resident ID number: ASCII digits and X, without spaces."""
    return "".join(c for c in text(value).upper() if c.isascii() and (c.isdigit() or c == "X"))
