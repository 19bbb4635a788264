"""The leads table's state in its query string: filters, sort and page, so a view is a link.

The parameters are the API's (`status=new,won&sort=email&direction=asc&page=2`). A value that
cannot be read is left out and reported, never an error page: links get edited by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from leadhub.domains.leads.schemas import SORT_FIELDS, Direction, LeadFilters, SortField
from leadhub.kit.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE, PageRequest
from leadhub.kit.types import MAX_ID

FILTER_KEYS = (
    "search",
    "source",
    "status",
    "pipeline_id",
    "stage_id",
    "assigned_user_id",
    "tag",
    "list_id",
    "created_after",
    "created_before",
    "starred",
)
VIEW_KEYS = ("sort", "direction", "per_page", "page")
PER_PAGE_CHOICES = (15, 25, 50, 100)
SORT_LABELS = {
    "created_at": "Created",
    "updated_at": "Updated",
    "lead_score": "Score",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
}
# Clicking a column sorts text A→Z first, and dates and scores newest or highest first.
_ASCENDING_FIRST = frozenset({"first_name", "last_name", "email"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_MAX_TEXT = 200
_MAX_PAGE = 1_000_000
T = TypeVar("T")


@dataclass(frozen=True)
class ListQuery:
    """The understood parameters (as given), and what they mean for the service."""

    params: dict[str, str]
    filters: LeadFilters
    page: PageRequest
    ignored: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        return any(key in self.params for key in FILTER_KEYS)

    @property
    def advanced(self) -> bool:
        """Whether a filter beyond the search box is on (the filter panel then opens)."""
        return any(key in self.params for key in FILTER_KEYS if key != "search")

    def get(self, key: str) -> str:
        return self.params.get(key, "")

    def link(self, **changes: Any) -> str:
        """This view's query string with some parameters changed (None or "" drops one)."""
        params = dict(self.params)
        for key, value in changes.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "?" + urlencode(params, safe=",") if params else ""

    def encoded(self) -> str:
        return urlencode(self.params, safe=",")

    def sort_link(self, field: str) -> str:
        """The column's link: the other direction when it is the sort already; page 1."""
        if self.filters.sort == field:
            direction = "asc" if self.filters.direction == "desc" else "desc"
        else:
            direction = "asc" if field in _ASCENDING_FIRST else "desc"
        return self.link(sort=field, direction=direction, page=None)

    def aria_sort(self, field: str) -> str | None:
        if self.filters.sort != field:
            return None
        return "ascending" if self.filters.direction == "asc" else "descending"


def parse(pairs: Iterable[tuple[str, str]]) -> ListQuery:
    """A view from query-string pairs (repeated `status`/`source` keys join like commas)."""
    raw: dict[str, str] = {}
    for key, value in pairs:
        text = value.strip()[:_MAX_TEXT]
        if not text:
            continue
        if key in ("source", "status") and key in raw:
            raw[key] = f"{raw[key]},{text}"
        elif key in FILTER_KEYS or key in VIEW_KEYS:
            raw[key] = text
    reader = _Reader(raw)
    filters = LeadFilters(
        sources=_split(reader.text("source")),
        statuses=_split(reader.text("status")),
        pipeline_id=reader.number("pipeline_id", 1, MAX_ID),
        stage_id=reader.number("stage_id", 1, MAX_ID),
        assigned_user_id=reader.number("assigned_user_id", 1, MAX_ID),
        tag=reader.text("tag"),
        list_id=reader.number("list_id", 1, MAX_ID),
        search=reader.text("search"),
        created_after=reader.moment("created_after"),
        created_before=reader.moment("created_before"),
        starred=reader.flag("starred"),
        sort=cast(SortField, reader.choice("sort", SORT_FIELDS, "created_at")),
        direction=cast(Direction, reader.choice("direction", ("asc", "desc"), "desc")),
    )
    per_page = reader.number("per_page", 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE
    page = PageRequest.clamped(reader.number("page", 1, _MAX_PAGE) or 1, per_page)
    return ListQuery(params=reader.kept, filters=filters, page=page, ignored=tuple(reader.ignored))


class _Reader:
    """Reads parameters, keeping the ones it understood and noting the others."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw
        self.kept: dict[str, str] = {}
        self.ignored: list[str] = []

    def _keep(self, key: str, value: T | None) -> T | None:
        if value is None:
            self.ignored.append(key)
        else:
            self.kept[key] = self.raw[key]
        return value

    def text(self, key: str) -> str | None:
        return self._keep(key, self.raw[key]) if key in self.raw else None

    def number(self, key: str, low: int, high: int) -> int | None:
        if key not in self.raw:
            return None
        text = self.raw[key]
        value = int(text) if text.isdigit() and len(text) < 12 else None
        return self._keep(key, value if value is not None and low <= value <= high else None)

    def moment(self, key: str) -> datetime | None:
        return self._keep(key, _moment(self.raw[key])) if key in self.raw else None

    def flag(self, key: str) -> bool | None:
        if key not in self.raw:
            return None
        text = self.raw[key].lower()
        return self._keep(key, True if text in _TRUE else False if text in _FALSE else None)

    def choice(self, key: str, allowed: Iterable[str], default: str) -> str:
        if key not in self.raw:
            return default
        value = self.raw[key] if self.raw[key] in allowed else None
        return self._keep(key, value) or default


def _split(value: str | None) -> list[str]:
    return [part.strip().lower() for part in (value or "").split(",") if part.strip()]


def _moment(text: str) -> datetime | None:
    """An ISO 8601 date or date-time; UTC when no offset is given (as the API reads it)."""
    try:
        moment = (
            datetime.combine(date.fromisoformat(text), datetime.min.time())
            if len(text) == 10
            else datetime.fromisoformat(text)
        )
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
