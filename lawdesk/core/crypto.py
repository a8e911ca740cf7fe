"""Personal data at rest: encrypted model fields and blind indexes (issue 9).

``EncryptedTextField`` and ``EncryptedDecimalField`` keep the value encrypted in the database with Fernet
(AES-128-CBC + HMAC-SHA256) under ``settings.LAWDESK_FIELD_KEYS``: a MultiFernet whose first key encrypts and
every key decrypts, so a new key is put first and ``manage.py rotate_field_keys`` re-encrypts every row. In
Python the attribute still holds the plaintext (``person.phone``), so the code around keeps working.

Ciphertext cannot be searched; a value that must be found again gets a *blind index* column beside it:
HMAC-SHA256 of the normalised value under ``settings.LAWDESK_BLIND_INDEX_KEY`` (a separate key), and exact
lookups go through it (``blind_index("phone", "13912345678")``). Encrypted fields refuse every lookup but
``isnull`` and equality with the empty string, so a forgotten plaintext filter fails loudly.

The empty string stays empty (not encrypted): "no phone given" is no secret, and forms and constraints rely
on it. A stored value that is not a Fernet token is legacy plaintext and read as it is (the data migrations
encrypt such rows; nothing writes them any more).
"""

from __future__ import annotations

import decimal
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from lawdesk.core import normalise

# Every Fernet token starts with the version byte 0x80, which is "gAAAAA" in URL-safe base64.
_TOKEN_PREFIX = "gAAAAA"


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("LAWDESK_FIELD_KEYS is empty: personal data cannot be encrypted.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _fernet() -> MultiFernet:
    return _multi_fernet(tuple(settings.LAWDESK_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    """A Fernet token of ``plaintext`` under the current (first) key; '' stays ''."""
    if plaintext == "":
        return ""
    return _fernet().encrypt(plaintext.encode()).decode()


def is_token(stored: str) -> bool:
    return stored.startswith(_TOKEN_PREFIX)


def decrypt(stored: str) -> str:
    """The plaintext of a stored value (any configured key); legacy plaintext is returned as it is."""
    if not stored or not is_token(stored):
        return stored
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError(
            "An encrypted field cannot be decrypted with any key in LAWDESK_FIELD_KEYS "
            "(a key was removed before `rotate_field_keys` ran, or the data was altered)."
        ) from exc


def rotate(stored: str) -> str:
    """The same value re-encrypted under the current key (plaintext rows are encrypted)."""
    if not stored:
        return stored
    if not is_token(stored):
        return encrypt(stored)
    return _fernet().rotate(stored.encode()).decode()


def blind_index(purpose: str, value: str) -> str:
    """HMAC-SHA256 (hex) of a normalised value for ``purpose`` ("phone", "id_number", "phone_tail", ...);
    '' for an empty value. Equal values give equal indexes; without the key nothing can be read from it."""
    if not value:
        return ""
    key = settings.LAWDESK_BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_phone(value: str) -> str:
    """ASCII digits only (``lawdesk.core.normalise``): 029-8555 1234, 02985551234 and ０２９８５５５１２３４ are the
    same number."""
    return normalise.digits(value)


def normalise_id_number(value: str) -> str:
    return "".join(normalise.text(value).split()).upper()


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its blind index (crypto.blind_index)."
            )
        return super().get_prep_lookup()


class EncryptedMixin:
    """Shared by the encrypted fields: a text column holding a Fernet token."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # Django answers "Unsupported lookup" for everything else

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        to_python = self.to_python  # type: ignore[attr-defined]
        if value is None:
            return None
        if not isinstance(value, str):  # a legacy number column read before its migration encrypted it
            return to_python(value)
        return to_python(decrypt(value))


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A short personal text (phone, ID number) stored encrypted. ``max_length`` limits the plaintext and
    gives a one-line form input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {"form_class": forms.CharField, "max_length": self.max_length}
        defaults.update(kwargs)
        if defaults.get("widget") is None or defaults["widget"] is forms.Textarea:
            defaults["widget"] = forms.TextInput
        return models.Field.formfield(self, **defaults)


class EncryptedDecimalField(EncryptedMixin, models.Field):
    """A financial figure (household income) stored encrypted; a ``Decimal`` in Python."""

    description = "Encrypted decimal"

    def __init__(self, *args: Any, max_digits: int = 12, decimal_places: int = 2, **kwargs: Any) -> None:
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(*args, **kwargs)
        self.validators.append(validators.DecimalValidator(max_digits, decimal_places))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_digits"], kwargs["decimal_places"] = self.max_digits, self.decimal_places
        return name, path, args, kwargs

    def to_python(self, value: Any) -> decimal.Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, decimal.Decimal):
            return value
        try:
            return decimal.Decimal(str(value))
        except decimal.InvalidOperation as exc:
            raise ValidationError(f"“{self.verbose_name}”应为数字。", code="invalid") from exc

    def get_prep_value(self, value: Any) -> Any:
        number = self.to_python(value)
        if number is None:
            return None
        return encrypt(str(number))

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {
            "form_class": forms.DecimalField,
            "max_digits": self.max_digits,
            "decimal_places": self.decimal_places,
        }
        defaults.update(kwargs)
        return super().formfield(**defaults)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    """Names of the model's encrypted fields."""
    return [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = encrypted_fields(model)
        if names:
            found.append((model, names))
    return found


# --- data migrations ---------------------------------------------------------------------------------------


def encrypt_existing_rows(model: Any, field_names: list[str], *, extra: Any = None) -> int:
    """Encrypt the legacy plaintext of ``field_names`` in every row of a (historical) model whose fields are
    already encrypted fields. ``extra(values) -> dict`` gives further columns to write (blind indexes)."""
    count = 0
    for row in model._base_manager.only("pk", *field_names).iterator(chunk_size=500):
        values = {name: getattr(row, name) for name in field_names}
        updates = dict(values)
        if extra is not None:
            updates.update(extra(values))
        model._base_manager.filter(pk=row.pk).update(**updates)
        count += 1
    return count


def decrypt_rows_in_place(model: Any, field_names: list[str], schema_editor: Any) -> None:
    """Reverse of ``encrypt_existing_rows``: write the plaintext back with raw SQL (before the column goes back
    to its old type)."""
    connection = schema_editor.connection
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = [model._meta.get_field(name).column for name in field_names]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {', '.join(connection.ops.quote_name(c) for c in columns)} FROM {table}"
        )
        rows = cursor.fetchall()
        for row in rows:
            sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
            values = [decrypt(v) if isinstance(v, str) else v for v in row[1:]]
            cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*values, row[0]])
