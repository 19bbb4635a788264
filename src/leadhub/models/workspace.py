from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, Timestamps


class Workspace(Timestamps, Base):
    """A business (or an agency) whose data LeadHub keeps apart from every other's."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_agency: Mapped[bool] = mapped_column(default=False)
    default_region: Mapped[str] = mapped_column(String(2), default="US")
    # Who publishes scheduled posts: "webhook" (a post.published event) or "manual".
    post_publisher: Mapped[str] = mapped_column(
        String(20), default="webhook", server_default="webhook"
    )
