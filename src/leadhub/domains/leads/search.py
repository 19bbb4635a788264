"""Finding leads by fragments of their name, company, email or phone, through a trigram index.

Every word of the search must occur in one of those columns (case-insensitive, anywhere in the
text). Words of three characters or more are looked up in the index migration 0016 builds: an
FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL, so a million leads are never
scanned. A shorter word has no trigram to look up and is matched with LIKE, which reads the
workspace's leads.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Integer, column, func, literal_column, or_, select, table

from leadhub.models import Lead

_PHONE_LIKE = re.compile(r"^[\d\s().+-]+$")
_TRIGRAM = 3
# From this many matches, a page walks the sort order instead of sorting every match (see
# `criteria`): around it both cost some tens of milliseconds at a million leads.
MANY_MATCHES = 5_000
_COLUMNS = (Lead.first_name, Lead.last_name, Lead.email, Lead.phone, Lead.company)
_FTS = table("leads_search", column("rowid", Integer))
_FTS_TABLE: ColumnElement[str] = literal_column("leads_search")


def criteria(dialect: str, search: str, *, many: bool = False) -> list[ColumnElement[bool]]:
    """One condition per word of the search.

    `many`: the search is known (from its count) to match many leads. SQLite would still fetch
    every match by its id and sort them all for a page (a second for 100,000 matches); `+ 0`
    keeps it from looking the matches up by id, so it walks the sort order's index instead and
    checks each lead against the matches until the page is full.
    """
    words = search.split()
    indexed = [word for word in words if len(word) >= _TRIGRAM]
    short = [word for word in words if len(word) < _TRIGRAM]
    found: list[ColumnElement[bool]] = [_like(word) for word in short]
    if indexed and dialect == "sqlite":
        matches = select(_FTS.c.rowid).where(_FTS_TABLE.op("MATCH")(_fts(indexed)))
        found.append((Lead.id + 0 if many else Lead.id).in_(matches))
    elif indexed:
        found.extend(_trigram(word) for word in indexed)
    return found


def _digits(word: str) -> str | None:
    """The digits of a word written like a phone number ("(415) 555-12"), when they differ."""
    digits = re.sub(r"\D", "", word)
    if _PHONE_LIKE.match(word) and len(digits) >= _TRIGRAM and digits != word:
        return digits
    return None


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts(words: list[str]) -> str:
    """An FTS5 query: each word as a phrase (a substring, for the trigram tokenizer), all of them
    required; a phone-like word also matches its digits in the phone column."""
    parts = []
    for word in words:
        digits = _digits(word)
        phrase = _quoted(word)
        parts.append(f"({phrase} OR phone : {_quoted(digits)})" if digits else phrase)
    return " AND ".join(parts)


def _joined() -> ColumnElement[str]:
    """The indexed expression of PostgreSQL's trigram index, exactly as migration 0016 wrote it:
    constants, not parameters, so the planner can match it."""
    text: ColumnElement[str] | None = None
    for lead_column in _COLUMNS:
        part = func.coalesce(lead_column, literal_column("''"))
        text = part if text is None else text.op("||")(literal_column("' '")).op("||")(part)
    return func.lower(text)


def _trigram(word: str) -> ColumnElement[bool]:
    options = [_joined().like(f"%{_escape_like(word.lower())}%", escape="\\")]
    if digits := _digits(word):
        options.append(_joined().like(f"%{digits}%"))
    return or_(*options)


def _like(word: str) -> ColumnElement[bool]:
    """A short word, matched without the index (SQLite's lower() folds ASCII letters only, so
    names are also tried as written, capitalised and upper-cased)."""
    pattern = f"%{_escape_like(word.lower())}%"
    options = [func.lower(lead_column).like(pattern, escape="\\") for lead_column in _COLUMNS]
    if not word.isascii():
        for variant in {word, word.capitalize(), word.upper()}:
            variant_pattern = f"%{_escape_like(variant)}%"
            options.extend(
                lead_column.like(variant_pattern, escape="\\")
                for lead_column in (Lead.first_name, Lead.last_name)
            )
    return or_(*options)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
