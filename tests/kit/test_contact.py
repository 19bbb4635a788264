from __future__ import annotations

import pytest

from leadhub.kit.contact import InvalidEmail, normalize_email, normalize_phone


def test_email_is_lower_cased_and_trimmed() -> None:
    assert normalize_email("  Sarah.Johnson@Example.COM ") == "sarah.johnson@example.com"


@pytest.mark.parametrize("raw", ["", "sarah", "sarah@", "@example.com", "a b@example.com"])
def test_invalid_email_is_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 415 555 1234", "US", "+14155551234"),
        ("(415) 555-1234", "US", "+14155551234"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
    ],
)
def test_phone_is_normalised_to_e164(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


def test_phone_that_does_not_parse_is_kept_as_given() -> None:
    assert normalize_phone("  call reception ", "US") == "call reception"
    assert normalize_phone("12", "US") == "12"
