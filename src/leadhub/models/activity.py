from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned
from leadhub.kit.clock import utcnow


class SocialProfile(WorkspaceOwned, Timestamps, Base):
    """The social-network side of a lead: one LinkedIn profile, what they said and asked for.

    The lead keeps the submitted email and the name; the profile keeps the rest of what the
    LeadPanther lead object shows.
    """

    __tablename__ = "social_profiles"
    __table_args__ = (
        Index("uq_social_profiles_uuid", "uuid", unique=True),
        # One profile per person and workspace: racing events for one URL cannot both insert.
        Index(
            "uq_social_profiles_workspace_url", "workspace_id", "linkedin_profile_url", unique=True
        ),
        Index("uq_social_profiles_lead_id", "lead_id", unique=True),
        Index("ix_social_profiles_ws_last_seen", "workspace_id", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    # Normalised: https, lower-cased host, no query, fragment or trailing slash.
    linkedin_profile_url: Mapped[str] = mapped_column(String(500))
    name: Mapped[str | None] = mapped_column(String(200))
    headline: Mapped[str | None] = mapped_column(String(500))
    work_email: Mapped[str | None] = mapped_column(String(254))
    personal_email: Mapped[str | None] = mapped_column(String(254))
    source_comments: Mapped[bool] = mapped_column(default=False)
    source_dms: Mapped[bool] = mapped_column(default=False)
    # Reserved for intent-data sources; comments and DMs never set it.
    source_intent: Mapped[bool] = mapped_column(default=False)
    total_interactions: Mapped[int] = mapped_column(default=0)
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    latest_keyword: Mapped[str | None] = mapped_column(String(50))
    intent_signals: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Whether intent_signals has any (a column, so lists filter on it without JSON functions).
    has_intent: Mapped[bool] = mapped_column(default=False)
    # unqualified, qualified, disqualified
    qualification_status: Mapped[str] = mapped_column(String(20), default="unqualified")
    # When the person gave an email through a tracking link of theirs.
    submitted_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class Activity(WorkspaceOwned, Base):
    """A comment or a DM seen on the social network, and what LeadHub made of it."""

    __tablename__ = "social_activities"
    __table_args__ = (
        Index("uq_social_activities_uuid", "uuid", unique=True),
        Index("ix_social_activities_ws_occurred", "workspace_id", "occurred_at"),
        Index("ix_social_activities_ws_status", "workspace_id", "status", "occurred_at"),
        Index("ix_social_activities_profile", "profile_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    # comment, dm
    source: Mapped[str] = mapped_column(String(10))
    author_name: Mapped[str | None] = mapped_column(String(200))
    author_headline: Mapped[str | None] = mapped_column(String(500))
    linkedin_profile_url: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    keyword: Mapped[str | None] = mapped_column(String(50))
    # new, replied, ignored, archived
    status: Mapped[str] = mapped_column(String(20), default="new")
    occurred_at: Mapped[datetime]
    # {post_id, comment_id, is_lead_magnet_request, matched_template_id}
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("social_profiles.id", ondelete="SET NULL")
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    magnet_id: Mapped[int | None] = mapped_column(
        ForeignKey("lead_magnets.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrackingLink(WorkspaceOwned, Base):
    """The link a reply carries to a magnet's hosted page: `?t=<uuid>` says who it was sent to."""

    __tablename__ = "tracking_links"
    __table_args__ = (
        Index("uq_tracking_links_uuid", "uuid", unique=True),
        Index("ix_tracking_links_magnet", "magnet_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    magnet_id: Mapped[int] = mapped_column(ForeignKey("lead_magnets.id", ondelete="CASCADE"))
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("social_activities.id", ondelete="SET NULL"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    # The capture source a visit through it records: comments or dms.
    source: Mapped[str] = mapped_column(String(10))
    clicks: Mapped[int] = mapped_column(default=0)
    last_clicked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
