"""The one place that reads the time, so every timestamp is aware UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# What reads the time where tests fix it: the job runner and what it runs take one.
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with an explicit offset, to the second."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")
