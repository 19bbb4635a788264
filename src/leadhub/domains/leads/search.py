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
from sqlalchemy.orm import aliased

from leadhub.models import Lead

_PHONE_LIKE = re.compile(r"^[\d\s().+-]+$")
_TRIGRAM = 3
# From this many matches, a page walks the sort order instead of sorting every match (see
# `criteria`): around it both cost some tens of milliseconds at a million leads.
MANY_MATCHES = 5_000
_COLUMNS = (Lead.first_name, Lead.last_name, Lead.email, Lead.phone, Lead.company)
_FTS = table("leads_search", column("rowid", Integer))
_FTS_TABLE: ColumnElement[str] = literal_column("leads_search")
_SCOPED = aliased(Lead, name="workspace_leads")


def criteria(
    dialect: str, search: str, workspace_id: int, *, many: bool = False
) -> list[ColumnElement[bool]]:
    """One condition per word of the search, for the leads of one workspace.

    On SQLite the index's matches are of every workspace, so they are first narrowed to this
    workspace's leads through its covering index (by id alone, never reading a lead): driven by
    every match of a large database instead, a page of a small workspace read 100,000 leads
    (5 to 10 s). `many`: the search is known (from its count) to match many leads of the
    workspace; SQLite would still fetch them all and sort them for a page (a second for 100,000),
    so `+ 0` keeps it from looking them up by id, and it walks the sort order's index instead,
    checking each lead until the page is full.
    """
    words = search.split()
    indexed = [word for word in words if len(word) >= _TRIGRAM]
    short = [word for word in words if len(word) < _TRIGRAM]
    found: list[ColumnElement[bool]] = [_like(word) for word in short]
    if indexed and dialect == "sqlite":
        matches = select(_FTS.c.rowid).where(_FTS_TABLE.op("MATCH")(_fts(indexed)))
        mine = select(_SCOPED.id).where(
            _SCOPED.workspace_id == workspace_id, _SCOPED.id.in_(matches)
        )
        found.append((Lead.id + 0 if many else Lead.id).in_(mine))
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
