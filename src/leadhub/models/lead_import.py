from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, WorkspaceOwned
from leadhub.kit.clock import utcnow


class LeadImport(WorkspaceOwned, Base):
    """A CSV or XLSX file of leads being read into the workspace (and a list), as a job."""

    __tablename__ = "lead_imports"
    __table_args__ = (Index("ix_lead_imports_ws_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int | None] = mapped_column(ForeignKey("lead_lists.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(8))  # csv | xlsx
    # Where the uploaded file is kept while the import runs (a key of the blob store).
    file_key: Mapped[str] = mapped_column(String(400))
    file_size: Mapped[int] = mapped_column(BigInteger)
    # Column header → lead field ("" or absent: the column is skipped).
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # What a row matching an existing lead does: "update" fills its empty fields, "skip" leaves it.
    on_duplicate: Mapped[str] = mapped_column(String(8), default="update")
    source: Mapped[str] = mapped_column(String(50), default="import")
    # pending → running → done | failed
    status: Mapped[str] = mapped_column(String(10), default="pending")
    total_rows: Mapped[int | None]
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    # The first rows that failed: [{"line": n, "reason": "…"}], capped.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
