from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned
from leadhub.kit.clock import utcnow


class ConversionLabel(WorkspaceOwned, Timestamps, Base):
    """An outcome a lead can be rated with, and where its offline conversion is sent."""

    __tablename__ = "conversion_labels"
    __table_args__ = (Index("uq_conversion_labels_uuid", "uuid", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id LeadTrackr clients send as `conversionId`.
    uuid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # Done: once sent, the lead leaves the open leads for good; otherwise it comes back to them.
    mark_as_done: Mapped[bool] = mapped_column(default=True)
    # [{"integration_id": int, "target": str}]: the event name or conversion action per platform.
    destinations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)


class Conversion(WorkspaceOwned, Base):
    """A lead's outcome, from its rating through its sending to the ad platforms."""

    __tablename__ = "conversions"
    __table_args__ = (
        Index("ix_conversions_ws_lead_created", "workspace_id", "lead_id", "created_at"),
        Index("ix_conversions_ws_status", "workspace_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    label_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversion_labels.id", ondelete="SET NULL")
    )
    # "label" or "lost"; the label's name is kept so the history survives the label.
    kind: Mapped[str] = mapped_column(String(10), default="label")
    label_name: Mapped[str] = mapped_column(String(100))
    mark_as_done: Mapped[bool] = mapped_column(default=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # rated (not processed yet) → pending → sent, partial, failed or recorded (nothing to send).
    status: Mapped[str] = mapped_column(String(12), default="rated")
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversionSend(WorkspaceOwned, Base):
    """One conversion sent to one destination, with its outcome."""

    __tablename__ = "conversion_sends"
    __table_args__ = (Index("ix_conversion_sends_conversion", "conversion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversion_id: Mapped[int] = mapped_column(ForeignKey("conversions.id", ondelete="CASCADE"))
    integration_id: Mapped[int | None] = mapped_column(
        ForeignKey("integrations.id", ondelete="SET NULL")
    )
    destination: Mapped[str] = mapped_column(String(40))
    integration_name: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(500))
    # queued → sent or failed; skipped when the lead lacks the data the platform needs.
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
