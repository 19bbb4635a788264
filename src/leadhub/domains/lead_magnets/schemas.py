"""What the lead-magnet services take and give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from leadhub.kit.types import Name, Text

DeliveryMode = Literal["hosted_content", "gated", "external_link"]
PageStatus = Literal["draft", "published"]
DELIVERY_MODES = ("hosted_content", "gated", "external_link")
# The modes whose reply links to the hosted page (so they need one, and the template its link).
HOSTED_MODES = frozenset({"hosted_content", "gated"})
RESOURCE_LINK = "{{resource_link}}"
# What a hosted page counts.
PAGE_VIEW, UNLOCK, CONTENT_ACCESS = "page_view", "unlock", "content_access"
CTA_CLICK, DOWNLOAD_CLICK = "cta_click", "download_click"
# Where a capture came from.
HOSTED_PAGE_SOURCE = "hosted_page"
KEYWORD = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
PostId = Annotated[Text, Field(min_length=1, max_length=200)]


def _http_url(value: str) -> str:
    stripped = value.strip()
    if stripped and not _HTTP_URL.match(stripped):
        raise ValueError("must be an http or https URL")
    return stripped


# An http(s) URL; blank means none.
HttpUrl = Annotated[Text, AfterValidator(_http_url)]


class HostedPageFields(BaseModel):
    """The hosted page; on update only the fields sent change."""

    model_config = ConfigDict(extra="ignore")

    title: Text | None = Field(default=None, max_length=200, description="Defaults to the name.")
    markdown_content: Text | None = Field(default=None, max_length=200_000)
    external_resource_url: HttpUrl | None = Field(default=None, max_length=2000)
    cta_label: Text | None = Field(default=None, max_length=100)
    cta_url: HttpUrl | None = Field(default=None, max_length=2000)
    status: PageStatus | None = Field(default=None, description="draft (default) or published.")


class MagnetFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    delivery_mode: DeliveryMode | None = None
    keyword: Text | None = Field(
        default=None, max_length=50, description="Letters, digits, _ and -; unique in any case."
    )
    resource_name: Name | None = Field(default=None, max_length=200)
    description: Text | None = Field(default=None, max_length=5000)
    text_template: Text | None = Field(
        default=None, max_length=5000, description="The reply; {{resource_link}} is the link."
    )
    not_connected_reply: Text | None = Field(default=None, max_length=5000)
    linked_posts: list[PostId] | None = Field(default=None, max_length=100)
    external_resource_url: HttpUrl | None = Field(
        default=None, max_length=2000, description="Where an external_link magnet points."
    )
    confirm_missing_magnet_url: bool | None = None
    confirm_legacy_placeholder: bool | None = None
    hosted_page: HostedPageFields | None = None

    @field_validator("keyword")
    @classmethod
    def _keyword(cls, value: str | None) -> str | None:
        if value is not None and not KEYWORD.match(value.strip()):
            raise ValueError("must be 1 to 50 letters, digits, underscores or hyphens")
        return value.strip() if value is not None else None


class MagnetCreate(MagnetFields):
    """A new lead magnet: a delivery mode, a keyword and a resource name at least."""

    delivery_mode: DeliveryMode
    keyword: Text = Field(
        max_length=50, description="Letters, digits, _ and -; unique in any case."
    )
    resource_name: Name = Field(max_length=200)


class MagnetUpdate(MagnetFields):
    """Only the fields sent change; `hosted_page: null` removes the page."""


class HostedPageRead(BaseModel):
    id: str
    title: str
    slug: str
    markdown_content: str | None
    external_resource_url: str | None
    cta_label: str | None
    cta_url: str | None
    status: str
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class MagnetRead(BaseModel):
    id: int
    uuid: str
    delivery_mode: str
    keyword: str
    resource_name: str
    description: str | None
    text_template: str | None
    not_connected_reply: str | None
    linked_posts: list[str]
    external_resource_url: str | None
    confirm_missing_magnet_url: bool
    confirm_legacy_placeholder: bool
    hosted_page: HostedPageRead | None
    created_at: datetime
    updated_at: datetime


# -- analytics ------------------------------------------------------------------------------


class MagnetSummary(BaseModel):
    id: int
    uuid: str
    keyword: str
    resource_name: str


class PageSummary(BaseModel):
    id: str
    title: str
    slug: str
    status: str
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class MagnetMetrics(BaseModel):
    page_views: int
    unique_visitors: int
    unique_visitors_limited: bool
    unlocks: int
    conversion_rate: float
    content_access: int
    cta_clicks: int
    download_clicks: int
    captures: int


class CaptureRead(BaseModel):
    id: str
    source: str
    lead_id: int | None
    tracking_link_id: str | None
    created_at: datetime


class OffsetPagination(BaseModel):
    limit: int
    offset: int
    has_more: bool


class MagnetAnalytics(BaseModel):
    lead_magnet: MagnetSummary
    page: PageSummary | None
    metrics: MagnetMetrics
    recent_captures: list[CaptureRead]
    pagination: OffsetPagination


@dataclass(frozen=True)
class DailyActivity:
    """Page views and captures per day (UTC), oldest first, every day of the span present."""

    days: tuple[date, ...]
    page_views: tuple[int, ...]
    captures: tuple[int, ...]

    @property
    def total_page_views(self) -> int:
        return sum(self.page_views)

    @property
    def total_captures(self) -> int:
        return sum(self.captures)


# -- the public page ------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicPage:
    """A published page as /m/{slug} shows it; `content_html` is already sanitised."""

    id: str
    slug: str
    title: str
    resource_name: str
    description: str | None
    gated: bool
    unlocked: bool
    content_html: str
    cta_label: str | None
    has_cta: bool
    has_download: bool


@dataclass(frozen=True)
class Visit:
    """Who is looking: the lh_visitor cookie, and the page uuid their unlock cookie names."""

    visitor_id: str
    unlocked_page_id: str | None = None


@dataclass(frozen=True)
class Unlock:
    """What the gate's form sent, and what HTTP tells about it."""

    email: str
    name: str | None = None
    attribution: dict[str, str] | None = None
    ip_address: str | None = None
    user_agent: str | None = None
