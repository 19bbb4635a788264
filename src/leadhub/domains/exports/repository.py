"""Every export query."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ScalarSelect, String, cast, func, select, update
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.domains.exports.schemas import UNFINISHED
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead, LeadExport, LeadTag, Tag


class ExportRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[LeadExport], int]:
        """Newest first."""
        statement = self.select(LeadExport).order_by(
            LeadExport.created_at.desc(), LeadExport.id.desc()
        )
        return self.page_of(statement, page)


def by_id(session: Session, export_id: int) -> LeadExport | None:
    """An export whatever its workspace (a job knows it by id only)."""
    return session.get(LeadExport, export_id, populate_existing=True)


def by_uuid(session: Session, export_uuid: str) -> LeadExport | None:
    """An export by the unguessable id its signed URL names."""
    return session.scalars(select(LeadExport).where(LeadExport.uuid == export_uuid)).first()


def move(session: Session, export_id: int, *, to: str, **values: Any) -> bool:
    """Move an unfinished export to a status; False when it is finished (or gone) already.

    A conditional update, so two runs of one export cannot both finish it (or both refund it).
    """
    result = session.execute(
        update(LeadExport)
        .where(LeadExport.id == export_id, LeadExport.status.in_(UNFINISHED))
        .values(status=to, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def lead_tag_ids() -> ScalarSelect[str | None]:
    """A column for a query of leads: the lead's tag ids as one text (`"3,7"`, in no set order),
    None when it has no tags.

    Read by the lead's key alone, one index lookup per lead, so a chunk of leads needs no tag
    query of its own; `tag_names` names them by this workspace.
    """
    ids = func.aggregate_strings(cast(LeadTag.tag_id, String), ",")
    return select(ids).where(LeadTag.lead_id == Lead.id).scalar_subquery()


def tag_names(
    session: Session, workspace_id: int, tag_ids: Collection[int]
) -> list[tuple[int, str]]:
    """(id, name) of those of these tags that are the workspace's, in name order."""
    statement = (
        select(Tag.id, Tag.name)
        .where(Tag.workspace_id == workspace_id, Tag.id.in_(tag_ids))
        .order_by(Tag.name)
    )
    return [(tag_id, name) for tag_id, name in session.execute(statement)]
