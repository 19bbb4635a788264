from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class LeadEvent(WorkspaceOwned, Base):
    """Something that happened to a lead, with what changed and who did it.

    `lead_id` has no foreign key on purpose: the events of a deleted lead outlive it.
    """

    __tablename__ = "lead_events"
    __table_args__ = (
        Index("ix_lead_events_ws_lead_created", "workspace_id", "lead_id", "created_at"),
        Index("ix_lead_events_ws_created", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_type: Mapped[str] = mapped_column(String(16), default="system")
    actor_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
