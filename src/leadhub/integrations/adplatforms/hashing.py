"""Normalising customer information the way Meta matches it, then hashing it with SHA-256."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_DIGIT = re.compile(r"[^0-9]")


def sha256(text: str) -> str:
    """The lower-case hex SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode()).hexdigest()


def email(raw: str | None) -> str | None:
    """The address trimmed and lower-cased; None when blank."""
    text = (raw or "").strip().lower()
    return text or None


def phone(raw: str | None) -> str | None:
    """Digits with the country code, no "+" nor leading zeros; None without a country code."""
    text = (raw or "").strip()
    # A national number hashed as if international would match someone in another country.
    if not text.startswith(("+", "00")):
        return None
    digits = _NOT_DIGIT.sub("", text).lstrip("0")
    return digits or None


def name(raw: str | None) -> str | None:
    """Lower-cased and trimmed, punctuation removed (letters beyond a-z stay, UTF-8 encoded)."""
    kept = "".join(ch for ch in (raw or "") if not unicodedata.category(ch).startswith("P"))
    text = " ".join(kept.lower().split())
    return text or None


def identifier(raw: str | None) -> str | None:
    """An external id trimmed and lower-cased, so that it hashes as Meta's SDKs hash it."""
    text = (raw or "").strip().lower()
    return text or None
