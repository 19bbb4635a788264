from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class AuditEntry(WorkspaceOwned, Base):
    """Who did what to the account: keys, users, grants, lists, imports, exports, credits."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_ws_created", "workspace_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(50))  # e.g. "list.created", "export.created"
    # Who: a person, an API key, or the system (a job, the command line).
    actor_type: Mapped[str] = mapped_column(String(10))  # user | api_key | system
    actor_id: Mapped[int | None]
    actor_name: Mapped[str | None] = mapped_column(String(254))
    target_type: Mapped[str | None] = mapped_column(String(30))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchRecord(WorkspaceOwned, Base):
    """A search someone ran (Leadsopedia's "history"): its type, terms and how many it found."""

    __tablename__ = "search_history"
    __table_args__ = (Index("ix_search_history_ws_created", "workspace_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(10))  # contacts | company | email
    query: Mapped[str] = mapped_column(String(500))
    lead_count: Mapped[int]
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiUsage(WorkspaceOwned, Base):
    """API calls of one key in one calendar month (UTC), counted as they are answered."""

    __tablename__ = "api_usage"

    api_key_id: Mapped[int] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    calls: Mapped[int] = mapped_column(default=0)
