"""Property tests: the fast path of email normalisation answers what email_validator answers."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadhub.kit.contact import InvalidEmail, normalize_email, normalize_phone

_LOCAL_CHARS = st.sampled_from(list("abcXYZ019._-+!#$%&'*/=?^`{|}~\"@ ()<>,;:[]\\é\u00e9\u0301ß"))
_LABELS = st.sampled_from(
    [
        "example",
        "com",
        "EXAMPLE",
        "co",
        "uk",
        "xn--bcher-kva",
        "bücher",
        "-bad",
        "bad-",
        "a" * 63,
        "a" * 64,
        "localhost",
        "test",
        "invalid",
        "local",
        "123",
        "",
        "ex_ample",
        "[127.0.0.1]",
    ]
)
_DOMAINS = st.lists(_LABELS, min_size=1, max_size=5).map(".".join)
_ADDRESSES = st.one_of(
    st.emails(),
    st.builds(
        lambda local, at, domain: f"{local}{at}{domain}",
        st.text(_LOCAL_CHARS, max_size=70),
        st.sampled_from(["@", "@@", "", " @ "]),
        _DOMAINS,
    ),
    st.text(max_size=40),
)


def _reference(raw: str) -> str | None:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


@settings(max_examples=600, deadline=None)
@given(_ADDRESSES)
@example("Sarah.Johnson@Example.COM")
@example("x" * 64 + "@" + ("a" * 60 + ".") * 3 + "com")
@example('"quoted local"@example.com')
@example("Name <name@example.com>")
@example("name@bücher.example")
def test_normalised_email_is_email_validators_answer(raw: str) -> None:
    expected = _reference(raw)
    if expected is None:
        with pytest.raises(InvalidEmail):
            normalize_email(raw)
    else:
        assert normalize_email(raw) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 +-().x", max_size=24), st.sampled_from(["US", "GB", "FR", ""]))
def test_phone_normalisation_is_stable(raw: str, region: str) -> None:
    once = normalize_phone(raw, region)
    assert normalize_phone(once, region) == once
    assert once == once.strip()
