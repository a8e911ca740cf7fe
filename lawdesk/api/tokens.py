"""API tokens: made once, shown once, kept only as a SHA-256 hash with a short prefix to recognise them."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "ld_"
PREFIX_LENGTH = 11  # "ld_" and the first 8 characters: what the admin shows


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def visible_prefix(token: str) -> str:
    return token[:PREFIX_LENGTH]
