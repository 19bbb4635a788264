"""Finding a person's email or phone in free text: whole values only."""

from __future__ import annotations

from leadhub.domains.privacy.needles import ERASED, Needles

NEEDLES = Needles(["An@Example.com", "+14155550123", "12345"])


def test_a_whole_email_or_phone_is_found_whatever_its_case() -> None:
    assert NEEDLES.in_text("Write to AN@example.COM today")
    assert NEEDLES.in_text("email: an@example.com.")  # the end of a sentence
    assert NEEDLES.in_text("call +14155550123")


def test_a_longer_value_that_contains_it_is_someone_else() -> None:
    assert not NEEDLES.in_text("dan@example.com")
    assert not NEEDLES.in_text("an@example.com.au")
    assert not NEEDLES.in_text("an@example.community")
    assert not NEEDLES.in_text("+141555501234")
    assert not NEEDLES.in_text("12345")  # too short to name anyone: never a needle


def test_json_values_are_searched_and_scrubbed_in_depth() -> None:
    value = {"search": "an@example.com", "page": 2, "tags": ["x", "dan@example.com"]}
    assert NEEDLES.in_value(value)
    assert NEEDLES.scrub(value) == {"search": ERASED, "page": 2, "tags": ["x", "dan@example.com"]}


def test_a_value_split_across_chunks_is_found_and_judged_whole() -> None:
    assert NEEDLES.in_stream([b"..., AN@exa", b"mple.com, ..."])
    assert not NEEDLES.in_stream([b"x an@example.com", b".au y"])
    assert NEEDLES.in_stream([b"x an@example.com"])  # at the very end of the file
    assert NEEDLES.in_stream([b"<t>an&amp;b@x.org</t>"], spellings=["an&amp;b@x.org"])
