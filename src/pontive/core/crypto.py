"""Encryption of personal data at rest (UU 27/2022 PDP; DESIGN.md, Security model).

Values are sealed with AES-256-GCM under a key derived from ``PONTIVE_DATA_KEY``; the stored
form is ``v1:<base64(nonce || ciphertext)>``. ``blind_index`` gives a keyed digest for exact
look-ups (e.g. "reports from this phone number") without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_PREFIX = "v1:"
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """Stored personal data could not be opened with the configured key."""


def _derive(secret: str, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pontive", info=purpose)
    return hkdf.derive(secret.encode())


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    return AESGCM(_derive(secret, b"seal")), _derive(secret, b"index")


_configured_secret: str | None = None


def configure(data_key: str) -> None:
    """Use ``data_key`` (``PONTIVE_DATA_KEY``) for every later seal and unseal."""
    global _configured_secret
    _configured_secret = data_key


def _current_secret() -> str:
    if _configured_secret is not None:
        return _configured_secret
    from pontive.settings import get_settings  # late: settings read on first use

    return get_settings().data_key


def seal(plaintext: str, *, secret: str | None = None) -> str:
    """Encrypt ``plaintext`` for storage."""
    cipher, _ = _keys(secret or _current_secret())
    nonce = os.urandom(_NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext.encode(), _PREFIX.encode())
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(stored: str, *, secret: str | None = None) -> str:
    """Decrypt a value made by ``seal``."""
    if not stored.startswith(_PREFIX):
        raise DecryptionError("unknown format")
    cipher, _ = _keys(secret or _current_secret())
    raw = base64.urlsafe_b64decode(stored.removeprefix(_PREFIX))
    try:
        return cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _PREFIX.encode()).decode()
    except InvalidTag as error:
        raise DecryptionError("wrong key or tampered value") from error


def sign(value: str, *, purpose: str, secret: str | None = None) -> str:
    """An HMAC-SHA256 of ``value`` exactly as given (no normalising, unlike the blind
    index), under a key derived for ``purpose``: for short-lived signed tokens."""
    key = _signing_key(secret or _current_secret(), purpose)
    digest = hmac.new(key, value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@lru_cache(maxsize=16)
def _signing_key(secret: str, purpose: str) -> bytes:
    return _derive(secret, b"sign:" + purpose.encode())


def blind_index(value: str, *, secret: str | None = None) -> str:
    """A keyed digest of a normalised value, for equality look-ups on sealed columns."""
    _, index_key = _keys(secret or _current_secret())
    normalised = value.strip().lower().encode()
    return hmac.new(index_key, normalised, hashlib.sha256).hexdigest()


class EncryptedText(TypeDecorator[str]):
    """A text column that is sealed on write and opened on read."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value)
