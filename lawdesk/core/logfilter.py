"""No secrets and no personal data in logs: the one logging filter on every handler of ``settings.LOGGING``.

Each record's message (with its arguments merged in), formatted traceback and stack are rewritten before the
record is written anywhere:

- secrets: the token of a rating link (anything after ``/online/rate/``) or of a video consultation link
  (``/video/j/``, lawdesk.video), an API bearer token (``ld_…``, and
  whatever follows ``Bearer``), a one-time code (the 6 digits after 评价码/验证码/动态口令, a ``code=``) and every
  URL query string (``/path?…``) are replaced by ``[已隐去]``; a link taken from a log can rate nothing;
- personal data: ID numbers and phone numbers are masked (6101**********1234, 139****5678).

Loaded while logging is configured, before the apps: it imports nothing from Django.
"""

from __future__ import annotations

import logging
import re
import traceback

HIDDEN = "[已隐去]"

# --- secrets ---------------------------------------------------------------------------------------------
_RATING_LINK = re.compile(r"(/online/rate/)[^\s/\"'<>]+")
_VIDEO_LINK = re.compile(r"(/video/j/)[^\s/\"'<>]+")
_BEARER = re.compile(r"(?i)(\bBearer\s+)[^\s\"'<>,;]+")
_API_TOKEN = re.compile(r"\bld_[A-Za-z0-9_\-]+")
_CODE_WORDS = re.compile(
    r"((?:评价码|验证码|动态口令|查询码)[：:\s为是]*)[0-9A-Za-z][0-9A-Za-z \-]{3,14}[0-9A-Za-z]"
)
_CODE_PARAM = re.compile(r"(?i)(\b(?:code|token|otp)\s*[=:]\s*)[^\s&\"'<>,;]+")
_QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+")


def redact_secrets(text: str) -> str:
    """The text without rating-link tokens, bearer tokens, one-time codes and URL query strings."""
    text = _RATING_LINK.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _VIDEO_LINK.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _BEARER.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _API_TOKEN.sub("ld_" + HIDDEN, text)
    text = _CODE_WORDS.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _CODE_PARAM.sub(lambda m: m.group(1) + HIDDEN, text)
    return _QUERY.sub(lambda m: m.group(1) + "?" + HIDDEN, text)


# --- personal data ---------------------------------------------------------------------------------------
# An 18-character resident ID number (or 15-digit old one) not inside a longer run of digits.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_OLD_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
# A mobile number (optionally +86), or a landline with an area code: 029-85551234, 02985551234.
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?([2-9]\d{2,3})(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    """The text with every ID number and phone number masked (6101**********1234, 139****5678)."""
    text = _ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3), text)
    text = _OLD_ID.sub(lambda m: m.group(1)[:4] + "*" * 8 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "-" + "*" * len(m.group(2)) + m.group(3), text)


def redact(text: str) -> str:
    return mask_personal_data(redact_secrets(text))


def adopt_library_logger(name: str) -> None:
    """A library that adds its own handler when imported (jieba: an unfiltered stderr handler) would write past
    the redacting handlers: drop its handlers, so its records go through the configured ones."""
    logger = logging.getLogger(name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = True


class RedactFilter(logging.Filter):
    """Rewrites every record: secrets hidden, personal data masked. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        redacted = redact(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
