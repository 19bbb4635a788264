from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned
from leadhub.kit.clock import utcnow


class LeadMagnet(WorkspaceOwned, Timestamps, Base):
    """A resource offered for a keyword: sent in a reply, hosted as a page, or linked outside."""

    __tablename__ = "lead_magnets"
    __table_args__ = (
        Index("uq_lead_magnets_uuid", "uuid", unique=True),
        # Keywords are unique per workspace regardless of case: keyword_key is the lower case.
        Index("uq_lead_magnets_workspace_keyword", "workspace_id", "keyword_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    delivery_mode: Mapped[str] = mapped_column(String(20))
    keyword: Mapped[str] = mapped_column(String(50))
    keyword_key: Mapped[str] = mapped_column(String(50))
    resource_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    text_template: Mapped[str | None] = mapped_column(Text)
    not_connected_reply: Mapped[str | None] = mapped_column(Text)
    linked_posts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    external_resource_url: Mapped[str | None] = mapped_column(String(2000))
    confirm_missing_magnet_url: Mapped[bool] = mapped_column(default=False)
    confirm_legacy_placeholder: Mapped[bool] = mapped_column(default=False)


class HostedPage(WorkspaceOwned, Base):
    """A magnet's public page at /m/{slug}: Markdown content, optionally behind an email gate."""

    __tablename__ = "lead_magnet_pages"
    __table_args__ = (
        Index("uq_lead_magnet_pages_uuid", "uuid", unique=True),
        # Slugs are public URLs: unique across every workspace.
        Index("uq_lead_magnet_pages_slug", "slug", unique=True),
        Index("uq_lead_magnet_pages_magnet_id", "magnet_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    magnet_id: Mapped[int] = mapped_column(ForeignKey("lead_magnets.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    markdown_content: Mapped[str | None] = mapped_column(Text)
    external_resource_url: Mapped[str | None] = mapped_column(String(2000))
    cta_label: Mapped[str | None] = mapped_column(String(100))
    cta_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None until the page is first changed.
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)


class PageEvent(WorkspaceOwned, Base):
    """One thing a visitor did on a hosted page; the analytics count these with aggregates."""

    __tablename__ = "lead_magnet_page_events"
    __table_args__ = (
        # Covers both counting per kind and counting distinct visitors per kind.
        Index("ix_lead_magnet_page_events_page_kind_visitor", "page_id", "kind", "visitor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("lead_magnet_pages.id", ondelete="CASCADE"))
    # page_view, unlock, content_access, cta_click, download_click
    kind: Mapped[str] = mapped_column(String(20))
    # The long-lived first-party cookie lh_visitor.
    visitor_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MagnetCapture(WorkspaceOwned, Base):
    """A lead captured for a magnet: from its hosted page, a comment, a DM, …"""

    __tablename__ = "lead_magnet_captures"
    __table_args__ = (
        Index("uq_lead_magnet_captures_uuid", "uuid", unique=True),
        Index("ix_lead_magnet_captures_magnet_created", "magnet_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    magnet_id: Mapped[int] = mapped_column(ForeignKey("lead_magnets.id", ondelete="CASCADE"))
    # hosted_page, comments, dms, …
    source: Mapped[str] = mapped_column(String(30))
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    tracking_link_id: Mapped[str | None] = mapped_column(String(36))
    visitor_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
