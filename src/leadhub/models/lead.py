from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned
from leadhub.kit import attribution

ATTRIBUTION_FIELDS = attribution.FIELDS


class Lead(WorkspaceOwned, Timestamps, Base):
    """A person who may buy: contact data, where they came from, and where they stand."""

    __tablename__ = "leads"
    __table_args__ = (
        # De-duplication is enforced by the database, so racing intakes cannot both insert.
        Index("uq_leads_workspace_email", "workspace_id", "email", unique=True),
        Index("uq_leads_workspace_phone", "workspace_id", "phone", unique=True),
        Index("ix_leads_ws_created", "workspace_id", "created_at"),
        Index("ix_leads_ws_updated", "workspace_id", "updated_at"),
        Index("ix_leads_ws_score", "workspace_id", "lead_score"),
        Index("ix_leads_ws_first_name", "workspace_id", "first_name"),
        Index("ix_leads_ws_last_name", "workspace_id", "last_name"),
        Index("ix_leads_ws_source_created", "workspace_id", "source", "created_at"),
        Index("ix_leads_ws_status_created", "workspace_id", "status", "created_at"),
        Index("ix_leads_ws_starred_created", "workspace_id", "starred", "created_at"),
        Index("ix_leads_ws_pipeline", "workspace_id", "pipeline_id", "created_at"),
        Index("ix_leads_ws_stage", "workspace_id", "pipeline_stage_id", "created_at"),
        Index("ix_leads_ws_assigned", "workspace_id", "assigned_user_id", "created_at"),
        Index("ix_leads_ws_unique_identifier", "workspace_id", "unique_identifier"),
        Index("ix_leads_ws_form", "workspace_id", "form_id"),
        # A browser event sent again (LeadTrackr's uniqueEventId) updates its lead.
        Index("uq_leads_workspace_event", "workspace_id", "unique_event_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    company: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(50), default="api")
    status: Mapped[str] = mapped_column(String(50), default="new")
    pipeline_id: Mapped[int | None] = mapped_column(ForeignKey("pipelines.id", ondelete="SET NULL"))
    pipeline_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("pipeline_stages.id", ondelete="SET NULL")
    )
    assigned_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    lead_score: Mapped[int] = mapped_column(default=0)
    starred: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unique_identifier: Mapped[str | None] = mapped_column(String(255))
    form_id: Mapped[int | None] = mapped_column(ForeignKey("forms.id", ondelete="SET NULL"))
    form_name: Mapped[str | None] = mapped_column(String(200))
    # The submitted form's fields as they arrived, the browser that sent them, the UTM journey.
    form_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    unique_event_id: Mapped[str | None] = mapped_column(String(255))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(1000))
    channel_flow: Mapped[str | None] = mapped_column(Text)
    # The latest rating (a conversion label); the lead's conversions keep the history.
    conversion_label_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversion_labels.id", ondelete="SET NULL")
    )

    gclid: Mapped[str | None] = mapped_column(String(500))
    wbraid: Mapped[str | None] = mapped_column(String(500))
    cid: Mapped[str | None] = mapped_column(String(500))
    sid: Mapped[str | None] = mapped_column(String(500))
    fbp: Mapped[str | None] = mapped_column(String(500))
    fbc: Mapped[str | None] = mapped_column(String(500))
    fbclid: Mapped[str | None] = mapped_column(String(500))
    utm_source: Mapped[str | None] = mapped_column(String(255))
    utm_medium: Mapped[str | None] = mapped_column(String(255))
    utm_campaign: Mapped[str | None] = mapped_column(String(255))
    utm_term: Mapped[str | None] = mapped_column(String(255))
    utm_content: Mapped[str | None] = mapped_column(String(255))
    referrer: Mapped[str | None] = mapped_column(String(2000))
    landing_page: Mapped[str | None] = mapped_column(String(2000))


class LeadTag(WorkspaceOwned, Base):
    """A tag on a lead."""

    __tablename__ = "lead_tags"
    __table_args__ = (
        Index("ix_lead_tags_ws_tag_lead", "workspace_id", "tag_id", "lead_id"),
        # A tag's leads newest first, from the index alone: a deep page of a tag skips index
        # entries instead of walking every lead in date order to test its tags.
        Index(
            "ix_lead_tags_ws_tag_created", "workspace_id", "tag_id", "lead_created_at", "lead_id"
        ),
    )

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    # The lead's created_at, which never changes: the order of a tag's leads.
    lead_created_at: Mapped[datetime]
