"""Property tests of contact normalisation: the fast path of email normalisation answers what
email_validator answers; both normalisations take any text, are idempotent and give one canonical
form for every way of writing the same address or number."""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import assume, example, given, settings
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


_SPACES = st.tuples(st.sampled_from(["", " ", "\t", "  \n"]), st.sampled_from(["", " ", "\r\n"]))


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


# -- the properties every caller relies on -------------------------------------------------------

# Any text a request may carry: every code point JSON can escape (lone surrogates too), controls,
# NUL, combining marks, other scripts' digits and at signs.
_ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=80)
_E164 = re.compile(r"\+[1-9]\d{1,14}")
_REGIONS = st.one_of(
    st.sampled_from(["US", "GB", "FR", "DE", "IN", "BR", "us", "gb", "", "ZZ", "001", "XX"]),
    st.text(max_size=4),
)


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT)
@example("\ud800@example.com")
@example("a@\udfff.com")
@example("\x00@example.com")
@example("a@example.com\x00")
@example("é" * 300 + "@example.com")
def test_email_normalisation_answers_an_address_or_invalid_email_for_any_text(raw: str) -> None:
    try:
        normalized = normalize_email(raw)
    except InvalidEmail:
        return
    assert normalized == normalized.strip().lower()
    assert normalized.count("@") >= 1
    normalized.encode("utf-8")  # storable and printable as it is


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.emails(), _ADDRESSES))
def test_email_normalisation_is_idempotent(raw: str) -> None:
    try:
        once = normalize_email(raw)
    except InvalidEmail:
        return
    assert normalize_email(once) == once


@settings(max_examples=150, deadline=None)
@given(st.emails(), st.sampled_from([str.upper, str.lower, str.title, str.swapcase]), _SPACES)
def test_emails_differing_in_case_and_surrounding_space_normalise_alike(
    address: str, change_case: Callable[[str], str], spaces: tuple[str, str]
) -> None:
    """The canonical form is what de-duplication compares: Ann@X.com and ann@x.com are one."""
    try:
        expected = normalize_email(address)
    except InvalidEmail:
        return  # st.emails() draws some domains email_validator refuses (special-use names)
    varied = spaces[0] + change_case(address) + spaces[1]
    assert normalize_email(varied) == expected


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT, _REGIONS)
@example("+1 415 555 0100\x00", "US")
@example("\ud800", "US")
@example("1" * 300, "US")
@example("+", "")
def test_phone_normalisation_never_fails_and_answers_e164_or_the_trimmed_text(
    raw: str, region: str
) -> None:
    normalized = normalize_phone(raw, region)
    assert normalized == raw.strip() or _E164.fullmatch(normalized), normalized
    assert normalize_phone(normalized, region) == normalized


_PHONE_REGIONS = ["US", "GB", "FR", "DE", "IN", "BR", "AU", "JP", "NL", "ZA"]
_FORMATS = [
    phonenumbers.PhoneNumberFormat.E164,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.RFC3966,
]


@st.composite
def _written_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    """(a real number of a region written some way, the region, its E.164 form)."""
    region = draw(st.sampled_from(_PHONE_REGIONS))
    kind = draw(
        st.sampled_from(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
    )
    number = phonenumbers.example_number_for_type(region, kind)
    assume(number is not None)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    written = phonenumbers.format_number(number, draw(st.sampled_from(_FORMATS)))
    written = written.removeprefix("tel:")
    separator = draw(st.sampled_from([" ", "-", ".", ""]))
    written = re.sub(r"[\s-]", separator, written)
    return draw(_SPACES)[0] + written + draw(_SPACES)[1], region, e164


@settings(max_examples=150, deadline=None)
@given(_written_numbers(), st.sampled_from(_PHONE_REGIONS))
def test_a_number_written_any_way_normalises_to_its_e164_form(
    written: tuple[str, str, str], default_region: str
) -> None:
    """An international number is the same number whatever the workspace's region."""
    text, _region, e164 = written
    assert normalize_phone(text, default_region) == e164


@settings(max_examples=100, deadline=None)
@given(_written_numbers())
def test_a_national_number_normalises_in_its_own_region(written: tuple[str, str, str]) -> None:
    _text, region, e164 = written
    national = phonenumbers.format_number(
        phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL
    )
    assert normalize_phone(national, region) == e164
