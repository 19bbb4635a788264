"""Signed tokens: `<payload>.<base64url HMAC-SHA256>` under a key derived for one purpose.

The payload is readable by anyone holding the token; the signature proves this node made it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from leadhub.kit.crypto import derive_key


class TokenSigner:
    def __init__(self, secret_key: str, *, purpose: str) -> None:
        if not secret_key:
            raise ValueError("a TokenSigner needs a non-empty secret key")
        self._key = derive_key(secret_key, f"signed-token:{purpose}")

    def __repr__(self) -> str:
        return "TokenSigner(…)"

    def sign(self, payload: str) -> str:
        return f"{payload}.{self._mac(payload)}"

    def unsign(self, token: str) -> str | None:
        """The payload when the signature is this signer's; None for anything else."""
        payload, dot, mac = token.rpartition(".")
        if not dot or not payload:
            return None
        # Constant time, so the signature cannot be guessed byte by byte.
        if not hmac.compare_digest(mac.encode("ascii", "replace"), self._mac(payload).encode()):
            return None
        return payload

    def _mac(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
