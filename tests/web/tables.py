"""Reading the tables of a page as lists of cell texts, for assertions on the numbers."""

from __future__ import annotations

import html
import re

_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def rows(fragment: str) -> list[list[str]]:
    """Every table row of `fragment` as its cells' text, whitespace collapsed."""
    return [
        [" ".join(html.unescape(_TAG.sub(" ", cell)).split()) for cell in _CELL.findall(row)]
        for row in _ROW.findall(fragment)
    ]


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by the heading with this id."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]
