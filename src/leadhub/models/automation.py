from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, SetUpThroughGrant, Timestamps, WorkspaceOwned


class Automation(SetUpThroughGrant, WorkspaceOwned, Timestamps, Base):
    """When a trigger fires and the conditions hold, run the actions in order on the lead."""

    __tablename__ = "automations"
    __table_args__ = (
        # The runner looks up the active automations of one trigger type.
        Index("ix_automations_ws_trigger_active", "workspace_id", "trigger_type", "is_active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    trigger_type: Mapped[str] = mapped_column(String(32))
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    match: Mapped[str] = mapped_column(String(8), default="all")
    actions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
