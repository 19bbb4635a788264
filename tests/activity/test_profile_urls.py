"""LinkedIn profile URLs: one canonical form per person; anything else is refused."""

from __future__ import annotations

import pytest

from leadhub.domains.activity.profiles import NotAProfileUrl, normalize_url


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/jane-doe",
        "https://www.linkedin.com/in/jane-doe/",
        "http://www.linkedin.com/in/jane-doe",
        "https://WWW.LinkedIn.com/in/jane-doe?utm_source=share#about",
        "https://linkedin.com/in/jane-doe",
        "www.linkedin.com/in/jane-doe/",
        "  https://www.linkedin.com/in/jane-doe  ",
    ],
)
def test_the_same_profile_has_one_url(raw: str) -> None:
    assert normalize_url(raw) == "https://www.linkedin.com/in/jane-doe"


def test_a_country_subdomain_is_kept() -> None:
    assert normalize_url("https://UK.linkedin.com/in/jane/") == "https://uk.linkedin.com/in/jane"


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/company/acme",
        "https://www.linkedin.com/in/",
        "https://www.linkedin.com/in/jane/details/experience",
        "https://evil.com/in/jane",
        "https://linkedin.com.evil.com/in/jane",
        "https://notlinkedin.com/in/jane",
        "ftp://www.linkedin.com/in/jane",
        "https://user@www.linkedin.com/in/jane",
        "https://www.linkedin.com:8080/in/jane",
        "not a url",
        "",
    ],
)
def test_anything_but_a_member_profile_is_refused(raw: str) -> None:
    with pytest.raises(NotAProfileUrl):
        normalize_url(raw)
