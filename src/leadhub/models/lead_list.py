from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned
from leadhub.kit.clock import utcnow


class LeadList(WorkspaceOwned, Timestamps, Base):
    """A named set of leads (Leadsopedia's "list of contacts"); a lead can be in many."""

    __tablename__ = "lead_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


Index("uq_lead_lists_workspace_name", LeadList.workspace_id, func.lower(LeadList.name), unique=True)


class ListMember(WorkspaceOwned, Base):
    """A lead in a list, since when."""

    __tablename__ = "list_members"
    __table_args__ = (
        Index("ix_list_members_list_added", "list_id", "added_at", "lead_id"),
        Index("ix_list_members_ws_lead", "workspace_id", "lead_id"),
    )

    list_id: Mapped[int] = mapped_column(
        ForeignKey("lead_lists.id", ondelete="CASCADE"), primary_key=True
    )
    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
