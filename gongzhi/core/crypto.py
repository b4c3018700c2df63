"""Encryption at rest for personal data (身份证号, 手机号).

Two keys are derived from GONGZHI_DATA_KEY with HKDF: one for AES-256-GCM (random nonce, so equal values
encrypt differently) and one for HMAC-SHA256, the keyed hash used for exact lookup. Ciphertext is stored as
``v1:<base64(nonce + ciphertext)>`` so a later key version can be rolled in.
"""

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_VERSION = "v1"


class CipherError(ValueError):
    """A stored ciphertext that cannot be opened: unknown version, damaged, or sealed under another key."""


def _derive(data_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gongzhi", info=purpose).derive(data_key.encode())


@lru_cache(maxsize=4)
def _keys(data_key: str) -> tuple[AESGCM, bytes]:
    return AESGCM(_derive(data_key, b"gongzhi-pii-encryption")), _derive(data_key, b"gongzhi-pii-lookup")


def encrypt(plaintext: str) -> str:
    aead, _ = _keys(settings.DATA_KEY)
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), _VERSION.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    version, _, body = (token or "").partition(":")
    if version != _VERSION:
        raise CipherError("unknown ciphertext version")
    try:
        raw = base64.b64decode(body, validate=True)
        aead, _ = _keys(settings.DATA_KEY)
        return aead.decrypt(raw[:12], raw[12:], _VERSION.encode()).decode()
    except (binascii.Error, InvalidTag, ValueError):
        raise CipherError("ciphertext cannot be opened") from None


def lookup_hash(value: str) -> str:
    """Keyed hash for exact-match lookup; the same value always gives the same hash under one key."""
    _, mac_key = _keys(settings.DATA_KEY)
    return hmac.new(mac_key, value.encode(), hashlib.sha256).hexdigest()
