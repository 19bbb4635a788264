"""A date range given in a query string: ISO 8601 dates or date-times, UTC when no offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadhub.errors import Invalid

_DAY = timedelta(days=1)


def parse_bound(field: str, raw: str | None, *, end: bool = False) -> datetime | None:
    """A moment from `2026-11-01` or `2026-11-01T09:30:00Z`; a date alone is the start of that
    day, or with `end` its last moment (so a range of dates includes its last day)."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid.field(field, f"The {field} field must be an ISO 8601 date.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        if end and len(text) == 10:  # a date alone: up to the end of that day
            moment = moment + _DAY - timedelta(microseconds=1)
        return moment.astimezone(UTC)
    except OverflowError:
        raise Invalid.field(field, f"The {field} field is out of range.") from None
