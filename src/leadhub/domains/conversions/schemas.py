"""What the conversion services take and give."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from leadhub.kit.types import Name, RecordId, Text

# A lead's status along the rate-and-process flow (other statuses count as open).
OPEN, PENDING, RATED, LOST = "open", "pending", "rated", "lost"
# Lost is a rating too: the conversion that says so is sent nowhere.
LOST_LABEL = "Lost"
MAX_DESTINATIONS = 10

ConversionStatus = Literal["rated", "pending", "sent", "partial", "failed", "recorded"]
SendStatus = Literal["queued", "sent", "failed", "skipped"]


class Destination(BaseModel):
    """Where a label's conversion goes: an integration, and its event name or conversion action."""

    model_config = ConfigDict(extra="forbid")

    integration_id: RecordId
    target: Text = Field(
        min_length=1,
        max_length=500,
        description="Meta or GA4 event name; Google Ads conversion action id or resource name.",
    )


class LabelFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = Field(default=None, max_length=100)
    value: Decimal | None = Field(
        default=None, ge=0, le=Decimal("999999999999.99"), decimal_places=2
    )
    currency: Text | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    mark_as_done: bool | None = None
    destinations: list[Destination] | None = Field(default=None, max_length=MAX_DESTINATIONS)


class LabelCreate(LabelFields):
    name: Name = Field(max_length=100)


class LabelUpdate(LabelFields):
    """Only the fields sent change."""


class DestinationRead(BaseModel):
    integration_id: int
    integration_name: str
    type: str
    target: str


class LabelRead(BaseModel):
    id: int
    uuid: str
    name: str
    value: float | None
    currency: str
    mark_as_done: bool
    destinations: list[DestinationRead]
    created_at: datetime
    updated_at: datetime


class SendRead(BaseModel):
    id: int
    integration_id: int | None
    integration_name: str
    destination: str
    target: str
    status: str
    attempts: int
    detail: str | None
    sent_at: datetime | None


class ConversionRead(BaseModel):
    id: int
    lead_id: int
    label_id: int | None
    label_name: str
    kind: str
    value: float | None
    currency: str
    status: str
    warnings: list[dict[str, str]]
    rated_at: datetime
    queued_at: datetime | None
    finished_at: datetime | None
    sends: list[SendRead]


class Rating(BaseModel):
    """A lead's rating: a label's id, or `lost`."""

    model_config = ConfigDict(extra="forbid")

    label_id: RecordId | None = Field(default=None, description="The conversion label.")
    lost: bool = Field(default=False, description="true: the lead is lost (no label).")


@dataclass(frozen=True)
class StatusChange:
    """The outcome of setting a lead's conversion status, as LeadTrackr answers it."""

    lead_id: int
    unique_identifier: str | None
    status: str
    queued: bool
    warnings: list[dict[str, str]] = field(default_factory=list)
