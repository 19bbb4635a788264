"""What the post services take and give."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from leadhub.kit.types import Name, Text

DRAFT, SCHEDULED, PUBLISHING, PUBLISHED, FAILED = (
    "draft",
    "scheduled",
    "publishing",
    "published",
    "failed",
)
STATUSES = (DRAFT, SCHEDULED, PUBLISHING, PUBLISHED, FAILED)
# Statuses in which the post has gone out: only its notes may change.
LOCKED_STATUSES = frozenset({PUBLISHED})
# Statuses with a publication to come or under way, which a change of schedule calls off.
PENDING_STATUSES = frozenset({SCHEDULED, PUBLISHING})
PostStatus = Literal["draft", "scheduled", "publishing", "published", "failed"]
ReactionType = Literal["like", "celebrate", "support", "love", "insightful", "funny", "curious"]
# LinkedIn's limits: 3,000 characters a post, 1,250 a comment, 9 images in a multi-image post.
TEXT_MAX = 3000
COMMENT_MAX = 1250
IMAGES_MAX = 9
COMMENTS_MAX = 10
# A follow-up is due at most a week after the post is published.
DELAY_MAX = 7 * 24 * 60
METRICS = ("impressions", "reactions", "comments", "reposts")
WEBHOOK, MANUAL = "webhook", "manual"
PUBLISHERS = (WEBHOOK, MANUAL)
Publisher = Literal["webhook", "manual"]
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _http_url(value: str) -> str:
    stripped = value.strip()
    if not _HTTP_URL.match(stripped):
        raise ValueError("must be an http or https URL")
    return stripped


HttpUrl = Annotated[Text, AfterValidator(_http_url), Field(max_length=2000)]
Delay = Annotated[int, Field(ge=0, le=DELAY_MAX, description="Minutes after publishing.")]


class Image(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: HttpUrl
    type: Literal["image"] = "image"


class ReactionFollowup(BaseModel):
    model_config = ConfigDict(extra="ignore")

    enabled: bool = False
    delay_minutes: Delay = 0
    reaction_type: ReactionType = "like"


class RepostFollowup(BaseModel):
    model_config = ConfigDict(extra="ignore")

    enabled: bool = False
    delay_minutes: Delay = 0


class CommentFollowup(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: Annotated[Name, Field(min_length=1, max_length=COMMENT_MAX)]
    delay_minutes: Delay = 0


class Followups(BaseModel):
    """What happens after the post is published, each at its delay from the publish time."""

    model_config = ConfigDict(extra="ignore")

    reaction: ReactionFollowup | None = None
    repost: RepostFollowup | None = None
    comments: list[CommentFollowup] = Field(default_factory=list, max_length=COMMENTS_MAX)


class PostFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: Annotated[Name, Field(max_length=TEXT_MAX)] | None = None
    status: PostStatus | None = Field(
        default=None,
        description="draft, or scheduled (with a future scheduled_at); LeadHub sets the others.",
    )
    scheduled_at: datetime | None = Field(default=None, description="ISO 8601; naive means UTC.")
    theme_id: Annotated[Text, Field(max_length=100)] | int | None = None
    template_id: Annotated[Text, Field(max_length=36)] | int | None = Field(
        default=None, description="A lead magnet of the workspace: its id or uuid."
    )
    images: list[Image] | None = Field(default=None, max_length=IMAGES_MAX)
    document_url: HttpUrl | None = None
    document_type: Annotated[Text, Field(max_length=30)] | None = None
    notes: Annotated[Text, Field(max_length=5000)] | None = None
    followups: Followups | None = None


class PostCreate(PostFields):
    """A new post: its text at least; a draft unless `status` says scheduled."""

    text: Annotated[Name, Field(max_length=TEXT_MAX)]


class PostUpdate(PostFields):
    """Only the fields sent change. A published post takes only `notes`."""


class ScheduledFollowup(BaseModel):
    type: str
    index: int
    due_at: datetime
    status: str
    sent_at: datetime | None


class PostRead(BaseModel):
    id: int
    uuid: str
    text: str
    status: str
    scheduled_at: datetime | None
    theme_id: str | None
    theme: dict[str, Any] | None
    template_id: int | None
    template_uuid: str | None
    images: list[dict[str, Any]]
    document_url: str | None
    document_type: str | None
    notes: str | None
    followups: dict[str, Any]
    metrics: dict[str, Any]
    published_url: str | None
    published_at: datetime | None
    publish_note: str | None
    last_error: str | None
    scheduled_followups: list[ScheduledFollowup]
    created_at: datetime
    updated_at: datetime


class Metrics(BaseModel):
    model_config = ConfigDict(extra="ignore")

    impressions: int = Field(default=0, ge=0, le=2_000_000_000)
    reactions: int = Field(default=0, ge=0, le=2_000_000_000)
    comments: int = Field(default=0, ge=0, le=2_000_000_000)
    reposts: int = Field(default=0, ge=0, le=2_000_000_000)


class MetricsUpdate(BaseModel):
    """Only the counts sent change."""

    model_config = ConfigDict(extra="ignore")

    impressions: int | None = Field(default=None, ge=0, le=2_000_000_000)
    reactions: int | None = Field(default=None, ge=0, le=2_000_000_000)
    comments: int | None = Field(default=None, ge=0, le=2_000_000_000)
    reposts: int | None = Field(default=None, ge=0, le=2_000_000_000)


class EngagementRecord(BaseModel):
    """Counts seen on the social network, and the post's URL there if LeadHub does not know it."""

    model_config = ConfigDict(extra="ignore")

    metrics: MetricsUpdate = Field(default_factory=MetricsUpdate)
    published_url: HttpUrl | None = None


class EngagementRead(BaseModel):
    """The documented shape: {post_id, published_url, metrics_available, metrics}."""

    post_id: int
    # Not answered natively; the LeadPanther surface names posts by uuid.
    post_uuid: str = Field(exclude=True)
    published_url: str | None
    metrics_available: bool
    metrics: Metrics


class PostSettings(BaseModel):
    """How the workspace's scheduled posts are published."""

    model_config = ConfigDict(extra="ignore")

    publisher: Publisher = Field(
        description="webhook: a post.published event to the webhooks (default); manual: "
        "LeadHub only marks the post published at its time."
    )


class PostSettingsRead(PostSettings):
    publishers: list[str]
