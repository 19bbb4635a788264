from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned
from leadhub.kit.clock import utcnow


class Post(WorkspaceOwned, Timestamps, Base):
    """A social post: a draft, or scheduled for a job to publish at `scheduled_at`."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("uq_posts_uuid", "uuid", unique=True),
        Index("ix_posts_workspace_status", "workspace_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text)
    # draft, scheduled, publishing (handed to webhooks, no answer yet), published, failed
    status: Mapped[str] = mapped_column(String(12), default="draft")
    scheduled_at: Mapped[datetime | None]
    theme_id: Mapped[str | None] = mapped_column(String(100))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("lead_magnets.id", ondelete="SET NULL"), index=True
    )
    images: Mapped[list[Any]] = mapped_column(JSON, default=list)
    document_url: Mapped[str | None] = mapped_column(String(2000))
    document_type: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)
    followups: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics_recorded_at: Mapped[datetime | None]
    published_url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Why a published post has no URL, for example when no webhook received it.
    publish_note: Mapped[str | None] = mapped_column(String(500))
    # Bumped by every schedule, reschedule and unschedule: a publish job of another version
    # does nothing.
    schedule_version: Mapped[int] = mapped_column(default=0)
    # The `post.published` event in flight (its id in the webhook body) and its deliveries.
    publish_event_id: Mapped[str | None] = mapped_column(String(36))
    publish_delivery_ids: Mapped[list[int]] = mapped_column(JSON, default=list)


class PostFollowup(WorkspaceOwned, Base):
    """One follow-up of a published post (a reaction, a repost, a comment) and when it is due."""

    __tablename__ = "post_followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    # reaction, repost, comment
    kind: Mapped[str] = mapped_column(String(12))
    # The comment's place in the post's list (0 for a reaction or a repost).
    position: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime]
    # scheduled, sent (handed to the webhooks), skipped (no webhook, or the post changed)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
