"""Markdown to safe HTML: CommonMark with raw HTML disabled, then sanitised with an allow-list."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# What CommonMark produces (and tables are not in it); nothing else survives.
_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "ul",
    }
)
_ATTRIBUTES = {"a": frozenset({"href", "title"}), "img": frozenset({"src", "alt", "title"})}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def to_safe_html(markdown: str) -> str:
    """HTML for a public page: no script, no event handler, no javascript: URL, no raw HTML."""
    return _cleaner().clean(_parser().render(markdown))
