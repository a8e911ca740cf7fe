"""No personal data in logs: a logging filter that masks ID numbers and phone numbers in every record.

Installed on the console handler in ``settings.LOGGING``; the message (with its arguments merged in) and any
formatted traceback are rewritten before the record is written anywhere. Loaded while logging is configured,
before the apps: it imports nothing from Django.
"""

from __future__ import annotations

import logging
import re
import traceback

# An 18-character resident ID number (or 15-digit old one) not inside a longer run of digits.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_OLD_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
# A mobile number (optionally +86), or a landline with an area code: 029-85551234, 02985551234.
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?([2-9]\d{2,3})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """The text with every ID number and phone number masked (6101**********1234, 139****5678)."""
    text = _ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3), text)
    text = _OLD_ID.sub(lambda m: m.group(1)[:4] + "*" * 8 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "-" + "*" * len(m.group(2)) + m.group(3), text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
