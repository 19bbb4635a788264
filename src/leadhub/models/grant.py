from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned


class AgencyGrant(WorkspaceOwned, Timestamps, Base):
    """An agency workspace's (workspace_id) access to a client workspace, within permissions."""

    __tablename__ = "agency_grants"
    __table_args__ = (
        Index("uq_agency_grants_pair", "workspace_id", "client_workspace_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="active")
    permissions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    revoked_at: Mapped[datetime | None]
