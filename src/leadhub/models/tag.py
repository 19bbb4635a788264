from __future__ import annotations

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps, WorkspaceOwned


class Tag(WorkspaceOwned, Timestamps, Base):
    """A label; names are unique per workspace regardless of case."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    color: Mapped[str | None] = mapped_column(String(7))


Index("uq_tags_workspace_name", Tag.workspace_id, func.lower(Tag.name), unique=True)
