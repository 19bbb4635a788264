from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class LeadExport(WorkspaceOwned, Base):
    """A file of leads (a list, or any lead filter) written by a job: Leadsopedia's "download"."""

    __tablename__ = "lead_exports"
    __table_args__ = (Index("ix_lead_exports_ws_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unguessable: the signed download URL names it.
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    list_id: Mapped[int | None] = mapped_column(ForeignKey("lead_lists.id", ondelete="SET NULL"))
    # The lead filter when the export is not of a list (the native list's query parameters).
    filters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    filename: Mapped[str] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(8))  # csv | xlsx
    # pending → running → done | failed
    status: Mapped[str] = mapped_column(String(10), default="pending")
    row_count: Mapped[int] = mapped_column(default=0)
    credits_spent: Mapped[int] = mapped_column(default=0)
    file_key: Mapped[str | None] = mapped_column(String(400))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
