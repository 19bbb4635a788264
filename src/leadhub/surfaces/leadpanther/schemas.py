"""LeadPanther's wire shapes: every body is `{"data": …, "request_id": …}`, lists add
`pagination {limit, offset, has_more}`, timestamps are ISO 8601 with milliseconds and `Z`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from leadhub.domains.lead_magnets.schemas import MagnetCreate
from leadhub.domains.media.schemas import UploadRequest
from leadhub.domains.posts.schemas import PostCreate

# -- requests (LeadPanther's names are LeadHub's own here) -----------------------------------


class LeadMagnetCreate(MagnetCreate):
    """LeadPanther's lead magnet body (`delivery_mode`, `keyword`, `hosted_page`, …)."""


class MediaUploadCreate(UploadRequest):
    """LeadPanther's upload-url body: filename, content_type, file_size."""


class PostCreateBody(PostCreate):
    """LeadPanther's post body; `template_id` is the lead magnet's id."""


# -- shared ---------------------------------------------------------------------------------


class Pagination(BaseModel):
    limit: int
    offset: int
    has_more: bool


class ErrorBody(BaseModel):
    code: str = Field(description="snake_case, for example not_found or validation_failed.")
    message: str
    details: dict[str, list[str]] | None = Field(
        default=None, description="Per-field messages, on validation errors only."
    )


class LeadPantherError(BaseModel):
    """Every error on the LeadPanther surface."""

    error: ErrorBody
    request_id: str


# -- identity and clients -------------------------------------------------------------------


class Owner(BaseModel):
    user_id: str
    full_name: str
    business_name: str
    account_status: str


class Subject(BaseModel):
    user_id: str


class Me(BaseModel):
    owner: Owner
    actor_type: str = Field(description="agency or user.")
    scopes: list[str]
    subject: Subject


class Grant(BaseModel):
    id: str
    label: str | None
    status: str
    permissions: list[str]
    created_at: str
    updated_at: str


class Client(BaseModel):
    user_id: str = Field(description="The `{clientId}` of the nested client routes.")
    full_name: str
    business_name: str
    account_status: str
    grant: Grant


# -- lead magnets ---------------------------------------------------------------------------


class MagnetRef(BaseModel):
    id: str
    delivery_mode: str
    keyword: str
    resource_name: str


class SaveResult(BaseModel):
    status: str


class MagnetSaved(BaseModel):
    lead_magnet: MagnetRef
    result: SaveResult


class MagnetSummary(BaseModel):
    id: str
    keyword: str
    resource_name: str


class PageSummary(BaseModel):
    id: str
    title: str
    slug: str
    status: str
    published_at: str | None
    created_at: str
    updated_at: str | None


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


class Capture(BaseModel):
    id: str
    source: str
    lead_id: str | None = Field(description="The lead's id as /leads shows it.")
    tracking_link_id: str | None
    created_at: str


class MagnetAnalytics(BaseModel):
    lead_magnet: MagnetSummary
    page: PageSummary | None
    metrics: MagnetMetrics
    recent_captures: list[Capture]
    pagination: Pagination


# -- media ----------------------------------------------------------------------------------


class UploadUrl(BaseModel):
    upload_url: str
    token: str
    path: str
    public_url: str
    bucket: str
    content_type: str


# -- posts ----------------------------------------------------------------------------------


class Post(BaseModel):
    id: str
    status: str
    scheduled_at: str | None
    template_id: str | None
    metrics: dict[str, Any]
    theme: dict[str, Any] | None
    followups: dict[str, Any]


class EngagementMetrics(BaseModel):
    impressions: int
    reactions: int
    comments: int
    reposts: int


class Engagement(BaseModel):
    post_id: str
    published_url: str | None
    metrics_available: bool
    metrics: EngagementMetrics


# -- leads and activity ---------------------------------------------------------------------


class Emails(BaseModel):
    submitted: str | None
    work: str | None
    personal: str | None


class Sources(BaseModel):
    comments: bool
    dms: bool
    intent: bool


class Lead(BaseModel):
    id: str
    linkedin_profile_url: str
    name: str | None
    headline: str | None
    emails: Emails
    submitted_name: str | None
    submitted_at: str | None
    submitted_via_magnet_id: str | None
    sources: Sources
    total_interactions: int
    latest_keyword: str | None
    keywords: list[str]
    has_intent: bool
    intent_signals: list[str]
    qualification_status: str
    first_seen_at: str
    last_seen_at: str
    created_at: str
    updated_at: str | None


class ActivityMetadata(BaseModel):
    post_id: str | None
    comment_id: str | None
    is_lead_magnet_request: bool
    matched_template_id: str | None


class Activity(BaseModel):
    id: str
    source: str
    author_name: str | None
    author_headline: str | None
    linkedin_profile_url: str
    content: str
    keyword: str | None
    status: str
    occurred_at: str
    metadata: ActivityMetadata


# -- answers --------------------------------------------------------------------------------


class MeAnswer(BaseModel):
    data: Me
    request_id: str


class ClientsAnswer(BaseModel):
    data: list[Client]
    pagination: Pagination
    request_id: str


class MagnetSavedAnswer(BaseModel):
    data: MagnetSaved
    request_id: str


class MagnetAnalyticsAnswer(BaseModel):
    data: MagnetAnalytics
    request_id: str


class UploadUrlAnswer(BaseModel):
    data: UploadUrl
    request_id: str


class PostAnswer(BaseModel):
    data: Post
    request_id: str


class EngagementAnswer(BaseModel):
    data: Engagement
    request_id: str


class LeadsAnswer(BaseModel):
    data: list[Lead]
    pagination: Pagination
    request_id: str


class ActivityAnswer(BaseModel):
    data: list[Activity]
    pagination: Pagination
    request_id: str
