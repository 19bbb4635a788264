from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class AutomationRun(WorkspaceOwned, Base):
    """One run of an automation on a lead: its steps so far, where it stands, how it ended.

    `lead_id` and `event_id` have no foreign keys: a run outlives the lead it ran on.
    """

    __tablename__ = "automation_runs"
    __table_args__ = (
        Index("ix_automation_runs_ws_automation_created", "workspace_id", "automation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    automation_id: Mapped[int] = mapped_column(ForeignKey("automations.id", ondelete="CASCADE"))
    lead_id: Mapped[int]
    event_id: Mapped[int | None]
    # running, waiting, succeeded, failed or skipped
    status: Mapped[str] = mapped_column(String(16), default="running")
    # [{"action": index, "type": ..., "outcome": ..., "message": ..., "at": iso time}, ...]
    steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    next_action: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class AutomationCursor(WorkspaceOwned, Base):
    """Whose turn it is next in one round-robin action of an automation."""

    __tablename__ = "automation_cursors"

    automation_id: Mapped[int] = mapped_column(
        ForeignKey("automations.id", ondelete="CASCADE"), primary_key=True
    )
    action_index: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
