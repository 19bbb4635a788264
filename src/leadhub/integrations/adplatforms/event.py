"""A conversion as the ad and analytics platforms receive it, whichever the destination."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal


@dataclass(frozen=True)
class ConversionEvent:
    event_id: str
    occurred_at: datetime
    value: Decimal | None
    currency: str
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    external_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    gclid: str | None = None
    wbraid: str | None = None
    cid: str | None = None
    sid: str | None = None
    fbc: str | None = None
    fbp: str | None = None

    @property
    def occurred_utc(self) -> datetime:
        """When the conversion happened, in UTC (a naive time is taken to be UTC already)."""
        moment = self.occurred_at
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def older_than(self, seconds: float) -> bool:
        """Whether the conversion happened longer ago than `seconds`."""
        return (datetime.now(UTC) - self.occurred_utc).total_seconds() > seconds
