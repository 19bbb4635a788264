"""Random identifiers and digests."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def random_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def public_id(prefix: str, nbytes: int = 10) -> str:
    """A short, URL-safe, unguessable id such as `ws_3kq9…`."""
    return f"{prefix}_{secrets.token_hex(nbytes)}"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def constant_time_equal(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))
