"""Keyword matching: whole words, any case, Unicode-aware; the first (then longest) match wins."""

from __future__ import annotations

import pytest

from leadhub.domains.activity.matching import match

KEYWORDS = ["GUIDE", "Checklist", "guide-pro", "AI_2026"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("GUIDE", "GUIDE"),
        ("guide please", "GUIDE"),
        ("Can I get the Guide?", "GUIDE"),
        ("guide!", "GUIDE"),
        ("#guide", "GUIDE"),
        ("(GUIDE)", "GUIDE"),
        ("«guide»", "GUIDE"),
        ("guide.", "GUIDE"),
        ("line one\nguide\n", "GUIDE"),
        ("ＧＵＩＤＥ", "GUIDE"),  # noqa: RUF001 - full-width letters on purpose
        ("checklist", "Checklist"),
        ("ai_2026 now", "AI_2026"),
        ("guide-pro", "guide-pro"),
    ],
)
def test_a_keyword_matches_as_a_whole_word_in_any_case(content: str, expected: str) -> None:
    assert match(content, KEYWORDS) == expected


@pytest.mark.parametrize(
    "content",
    [
        "GUIDEBOOK",
        "guidebook please",
        "misguided",
        "guide-book",
        "guide_lines",
        "éguide",
        "guideé",
        "guidé",
        "gu ide",
        "",
        "nothing here",
    ],
)
def test_part_of_a_word_does_not_match(content: str) -> None:
    assert match(content, KEYWORDS) is None


def test_the_first_keyword_in_the_content_wins() -> None:
    assert match("checklist and then the guide", KEYWORDS) == "Checklist"
    assert match("the guide and then the checklist", KEYWORDS) == "GUIDE"


def test_at_the_same_place_the_longest_keyword_wins() -> None:
    assert match("guide-pro please", ["guide", "guide-pro"]) == "guide-pro"
    assert match("guide please", ["guide", "guide-pro"]) == "guide"


def test_without_keywords_nothing_matches() -> None:
    assert match("GUIDE", []) is None
    assert match("GUIDE", ["  "]) is None


def test_regex_characters_in_keywords_are_literal() -> None:
    assert match("a-b", ["a-b"]) == "a-b"
    assert match("axb", ["a.b"]) is None
