"""Customer information normalised as Meta documents it before SHA-256 hashing."""

from __future__ import annotations

import hashlib

import pytest

from leadhub.integrations.adplatforms import hashing


def test_sha256_is_lower_case_hex_of_utf8() -> None:
    assert hashing.sha256("jöhn") == hashlib.sha256("jöhn".encode()).hexdigest()
    assert hashing.sha256("a") == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" John.Doe@Example.COM ", "john.doe@example.com"),
        ("jane@example.com", "jane@example.com"),
        ("   ", None),
        (None, None),
    ],
)
def test_email_is_trimmed_and_lower_cased(raw: str | None, expected: str | None) -> None:
    assert hashing.email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+31612345678", "31612345678"),
        ("+31 (6) 1234-5678", "31612345678"),
        (" 0031 6 12345678 ", "31612345678"),
        ("+1 (415) 555-0123", "14155550123"),
    ],
)
def test_phone_is_digits_with_country_code(raw: str, expected: str) -> None:
    assert hashing.phone(raw) == expected


@pytest.mark.parametrize("raw", ["0612345678", "612345678", "", "+", None])
def test_a_phone_without_country_code_is_left_out(raw: str | None) -> None:
    assert hashing.phone(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("John", "john"),
        ("  Mary-Ann  ", "maryann"),
        ("O'Brien", "obrien"),
        ("J.R.R.", "jrr"),
        ("Van  der Berg", "van der berg"),
        ("Zoë", "zoë"),
        ("...", None),
        (None, None),
    ],
)
def test_name_is_lower_cased_without_punctuation(raw: str | None, expected: str | None) -> None:
    assert hashing.name(raw) == expected


def test_external_id_is_trimmed_and_lower_cased() -> None:
    assert hashing.identifier(" Lead-42 ") == "lead-42"
    assert hashing.identifier("") is None
