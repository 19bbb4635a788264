from __future__ import annotations

from sqlalchemy import Integer, String
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
    # API calls a month across every key; None is no limit.
    api_monthly_quota: Mapped[int | None] = mapped_column(Integer)
    # Credits an export spends per row it writes (0: exports are free).
    export_credit_cost: Mapped[int] = mapped_column(default=1, server_default="1")
    # The account's contact details (Leadsopedia's /account), edited in the workspace settings.
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
