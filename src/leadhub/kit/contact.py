"""Normalising how people are reached: emails lower-cased and checked, phones in E.164."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    pass


def normalize_email(raw: str) -> str:
    """A syntactically valid address, lower-cased; raises InvalidEmail otherwise.

    Deliverability (DNS) is not checked: leads arrive offline and in bulk.
    """
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc
    return result.normalized.lower()


def normalize_phone(raw: str, default_region: str | None) -> str:
    """E.164 where the number parses as possible for its region; otherwise the trimmed input."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, (default_region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def is_valid_region(region: str) -> bool:
    return region.upper() in phonenumbers.SUPPORTED_REGIONS
