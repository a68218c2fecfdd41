"""Secrets stored at rest (CalDAV passwords), encrypted with Fernet.

The key comes from settings.FIELD_ENCRYPTION_KEY: one or more comma-separated keys, the first
used to encrypt and all tried to decrypt (so a key can be rotated). Each may be a Fernet key or
any passphrase (stretched with HKDF). Without it, a key is derived from SECRET_KEY.
"""

import base64
import binascii

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the configured keys."""


def _fernet_key(material: str) -> bytes:
    try:
        if len(base64.urlsafe_b64decode(material.encode())) == 32:
            return material.encode()
    except (binascii.Error, ValueError):
        pass
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"tonic field encryption"
    ).derive(material.encode())
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in settings.FIELD_ENCRYPTION_KEY.split(",") if k.strip()]
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys or [settings.SECRET_KEY]])


def encrypt_secret(plain: str) -> str:
    """The secret encrypted for storage; an empty secret stays empty."""
    if not plain:
        return ""
    return _fernet().encrypt(plain.encode()).decode()


def decrypt_secret(stored: str) -> str:
    """The stored secret in clear. Raises SecretUnreadable if no configured key opens it."""
    if not stored:
        return ""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            "The stored password cannot be decrypted (was the encryption key changed?); "
            "remove the connection and add it again."
        ) from exc
