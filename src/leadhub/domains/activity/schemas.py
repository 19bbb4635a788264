"""What the activity services take and give: the LeadPanther activity and lead objects' fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from leadhub.kit.types import Text

ActivitySource = Literal["comment", "dm"]
ActivityStatus = Literal["new", "replied", "ignored", "archived"]
ACTIVITY_SOURCES = ("comment", "dm")
ACTIVITY_STATUSES = ("new", "replied", "ignored", "archived")
# A lead's sources, and the capture source a tracking link records, per activity source.
LEAD_SOURCES = ("comments", "dms", "intent")
CAPTURE_SOURCE = {"comment": "comments", "dm": "dms"}
QUALIFICATIONS = ("unqualified", "qualified", "disqualified")
CONTENT_MAX = 10_000
T = TypeVar("T")


class ActivityCreate(BaseModel):
    """An event seen on the social network: a comment under a post, or a direct message."""

    model_config = ConfigDict(extra="ignore")

    source: ActivitySource
    author_name: Text | None = Field(default=None, max_length=200)
    author_headline: Text | None = Field(default=None, max_length=500)
    linkedin_profile_url: Text = Field(max_length=2000, description="https://www.linkedin.com/in/…")
    content: Text = Field(max_length=CONTENT_MAX)
    post_id: Text | None = Field(default=None, max_length=200)
    comment_id: Text | None = Field(default=None, max_length=200)
    occurred_at: datetime | None = Field(
        default=None, description="ISO 8601; without an offset it is UTC; defaults to now."
    )
    connected: bool | None = Field(
        default=None, description="false when the author is not connected: the reply asks them to."
    )

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:  # e.g. 9999-12-31T23:59:59-05:00 has no UTC date-time
            raise PydanticCustomError("datetime_parsing", "Input is out of range") from exc


class ActivityUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: ActivityStatus


class ActivityMetadata(BaseModel):
    post_id: str | None = None
    comment_id: str | None = None
    is_lead_magnet_request: bool = False
    matched_template_id: str | None = None


class ActivityRead(BaseModel):
    id: str
    source: str
    author_name: str | None
    author_headline: str | None
    linkedin_profile_url: str
    content: str
    keyword: str | None
    status: str
    occurred_at: datetime
    metadata: ActivityMetadata
    lead_id: int | None
    created_at: datetime


class LeadEmails(BaseModel):
    submitted: str | None
    work: str | None
    personal: str | None


class LeadSources(BaseModel):
    comments: bool
    dms: bool
    intent: bool


class SocialLeadRead(BaseModel):
    """A lead as LeadPanther shows it; `id` is the lead's id, `uuid` its social profile's."""

    id: int
    uuid: str
    linkedin_profile_url: str
    name: str | None
    headline: str | None
    emails: LeadEmails
    submitted_name: str | None
    submitted_at: datetime | None
    submitted_via_magnet_id: str | None
    sources: LeadSources
    total_interactions: int
    latest_keyword: str | None
    keywords: list[str]
    has_intent: bool
    intent_signals: list[str]
    qualification_status: str
    first_seen_at: datetime
    last_seen_at: datetime
    created_at: datetime
    updated_at: datetime | None


class Recorded(BaseModel):
    """What recording an event answers: the activity, its lead, and the reply to send (or null)."""

    activity: ActivityRead
    lead: SocialLeadRead
    reply: str | None
    resource_link: str | None


@dataclass(frozen=True)
class ActivityFilters:
    source: str | None = None
    status: str | None = None
    keyword: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class SocialLeadFilters:
    keyword: str | None = None
    source: str | None = None
    has_email: bool | None = None
    has_intent: bool | None = None
    qualification: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class Slice(Generic[T]):
    """A limit/offset page (LeadPanther's pagination): the items and whether more follow."""

    items: list[T]
    limit: int
    offset: int
    has_more: bool


@dataclass(frozen=True)
class TrackedVisit:
    """A tracking link followed to its magnet's page."""

    token: str
    source: str
    lead_id: int | None
    first_click: bool
    workspace_id: int
