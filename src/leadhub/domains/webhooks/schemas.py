"""What the webhook services take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from leadhub.domains.events import schemas as events
from leadhub.kit.types import Text

ALL_EVENTS = "*"
EVENT_TYPES: tuple[str, ...] = (
    events.LEAD_CREATED,
    events.LEAD_UPDATED,
    events.LEAD_DELETED,
    events.STAGE_CHANGED,
    events.STATUS_CHANGED,
    events.LEAD_ASSIGNED,
    events.TAG_ADDED,
    events.TAG_REMOVED,
    events.FORM_SUBMITTED,
    events.LEAD_RATED,
    events.CONVERSION_QUEUED,
    events.CONVERSION_SENT,
    events.CONVERSION_FAILED,
    events.CONVERSION_PROCESSED,
    events.SOCIAL_ACTIVITY,
    events.POST_PUBLISHED,
    events.POST_FOLLOWUP,
)
SECRET_MIN = 16
SECRET_MAX = 200


class WebhookFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: Text | None = Field(default=None, max_length=2000)
    events: list[Text] | None = Field(default=None, max_length=len(EVENT_TYPES) + 1)
    secret: Text | None = Field(default=None, min_length=SECRET_MIN, max_length=SECRET_MAX)
    description: Text | None = Field(default=None, max_length=500)
    is_active: bool | None = None


class WebhookCreate(WebhookFields):
    url: Text = Field(max_length=2000)


class WebhookUpdate(WebhookFields):
    """A secret left out keeps its value."""


class WebhookRead(BaseModel):
    id: int
    url: str
    events: list[str]
    # The whole secret in the create answer only; masked after.
    secret: str | None
    description: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class DeliveryRead(BaseModel):
    id: int
    webhook_id: int
    # The lead event's id; None for a workspace event (post.published, post.followup).
    event_id: int | None
    event: str
    request_body: dict[str, Any]
    status: str
    attempts: int
    response_status: int | None
    response_time_ms: int | None
    error: str | None
    created_at: datetime
    delivered_at: datetime | None
