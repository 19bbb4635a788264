"""Secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256) under a key derived from the node's
secret key with HKDF-SHA256, so the secret key itself is never used as a cipher key."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SALT = b"leadhub.kit.crypto"
DEFAULT_PURPOSE = "integration-secrets"


class SecretUnreadable(ValueError):
    """A ciphertext this box cannot open: another secret key made it, or it was altered."""


def derive_key(secret_key: str, purpose: str) -> bytes:
    """32 bytes for one purpose, derived from the node's secret key with HKDF-SHA256."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=_SALT,
        info=f"leadhub:{purpose}".encode(),
    ).derive(secret_key.encode("utf-8"))


class SecretBox:
    """Encrypts JSON values for one purpose; a box built from another key cannot decrypt them."""

    def __init__(self, secret_key: str, *, purpose: str = DEFAULT_PURPOSE) -> None:
        if not secret_key:
            raise ValueError("a SecretBox needs a non-empty secret key")
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret_key, purpose)))

    def __repr__(self) -> str:
        return "SecretBox(…)"

    def encrypt_json(self, value: Any) -> str:
        """The value as JSON, encrypted and authenticated; an ASCII token."""
        plain = json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")
        return self._fernet.encrypt(plain).decode("ascii")

    def decrypt_json(self, token: str) -> Any:
        """The value `encrypt_json` was given; SecretUnreadable when this box cannot open it."""
        try:
            plain = self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise SecretUnreadable("the secret cannot be decrypted with this key") from exc
        return json.loads(plain)
