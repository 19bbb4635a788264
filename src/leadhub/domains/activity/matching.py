"""Which lead magnet's keyword a comment or a DM asks for: pure functions, no database.

The rule: a keyword matches as a whole word, in any case. The content is NFKC-normalised first
(so full-width letters read as their ASCII forms), and a word is bounded by anything that is
not a Unicode letter, digit, `_` or `-` (keywords may contain `_` and `-`, so "GUIDE-BOOK" and
"GUIDEBOOK" do not ask for GUIDE, and neither does "éGUIDE"; "guide!", "#guide" and "(Guide)" do).

When several keywords occur, the one that occurs first in the content wins; at the same place, the
longest keyword wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# What a word is made of besides letters and digits: the characters keywords may contain.
_WORD = r"[\w-]"


def pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression for all keywords, longest first; None without keywords."""
    unique = sorted({keyword.strip() for keyword in keywords if keyword.strip()}, key=_longest)
    if not unique:
        return None
    alternatives = "|".join(re.escape(_normal(keyword)) for keyword in unique)
    return re.compile(rf"(?<!{_WORD})(?:{alternatives})(?!{_WORD})", re.IGNORECASE)


def match(content: str, keywords: Iterable[str]) -> str | None:
    """The keyword (as given) that the content asks for, or None."""
    by_key = {_normal(keyword.strip()).casefold(): keyword for keyword in keywords}
    compiled = pattern(by_key.values())
    if compiled is None:
        return None
    found = compiled.search(_normal(content))
    return by_key.get(found.group(0).casefold()) if found is not None else None


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _longest(keyword: str) -> tuple[int, str]:
    return (-len(keyword), keyword.casefold())
