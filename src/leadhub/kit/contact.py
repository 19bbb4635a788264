"""Normalising how people are reached: emails lower-cased and checked, phones in E.164."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

# RFC 5322's dot-atom with ASCII characters only: the local part email_validator accepts as it is
# (no quoting, no Unicode normalisation), so such an address needs only its domain checked.
_ATEXT = r"[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]+"
_PLAIN_LOCAL_PART = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*\Z")
# RFC 5321 / email_validator: the whole address, in octets.
_MAX_ADDRESS_LENGTH = 254


class InvalidEmail(ValueError):
    pass


def normalize_email(raw: str) -> str:
    """A syntactically valid address, lower-cased; raises InvalidEmail otherwise.

    Deliverability (DNS) is not checked: leads arrive offline and in bulk. Addresses repeat their
    domains (an import of 100,000 rows has a few hundred), and checking a domain (IDNA, special-use
    names) is most of the cost, so a plain local part is matched here and the domain's check is
    cached; anything else goes through the whole validation.
    """
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    if at and _PLAIN_LOCAL_PART.match(local):
        try:
            unicode_domain, ascii_domain = _checked_domain(domain)
        except EmailNotValidError as exc:
            raise InvalidEmail(str(exc)) from exc
        address = f"{local}@{unicode_domain}"
        if (
            len(address.encode()) <= _MAX_ADDRESS_LENGTH
            and len(local) + 1 + len(ascii_domain) <= _MAX_ADDRESS_LENGTH
        ):
            return address.lower()
    return _validated(text)


@lru_cache(maxsize=4096)
def _checked_domain(domain: str) -> tuple[str, str]:
    """The domain's normalised and ASCII forms, as email_validator checks them (cached)."""
    result = validate_email(f"x@{domain}", check_deliverability=False)
    return result.domain, result.ascii_domain


def _validated(text: str) -> str:
    try:
        result = validate_email(text, check_deliverability=False)
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
