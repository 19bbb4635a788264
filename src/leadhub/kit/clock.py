"""The one place that reads the time, so every timestamp is aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with an explicit offset, to the second."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")
