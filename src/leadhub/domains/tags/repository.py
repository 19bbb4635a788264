"""Every tag query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func

from leadhub.db.scoped import ScopedRepository
from leadhub.db.upsert import insert_ignoring_conflicts
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import LeadTag, Tag


class TagRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Tag], int]:
        return self.page_of(self.select(Tag).order_by(func.lower(Tag.name), Tag.id), page)

    def lead_counts(self, tag_ids: Sequence[int]) -> dict[int, int]:
        if not tag_ids:
            return {}
        statement = (
            self.select_columns(LeadTag, LeadTag.tag_id, func.count())
            .where(LeadTag.tag_id.in_(tag_ids))
            .group_by(LeadTag.tag_id)
        )
        return {tag_id: int(count) for tag_id, count in self.session.execute(statement)}

    def find_by_names(self, names: Iterable[str]) -> list[Tag]:
        lowered = {name.lower() for name in names}
        if not lowered:
            return []
        return list(self.session.scalars(self.select(Tag).where(func.lower(Tag.name).in_(lowered))))

    def ensure(self, names: Sequence[str]) -> list[Tag]:
        """The tags with these names, creating the missing ones (race-free), in the given order."""
        now = utcnow()
        rows = [
            {"workspace_id": self.workspace_id, "name": name, "created_at": now, "updated_at": now}
            for name in names
        ]
        insert_ignoring_conflicts(self.session, Tag.__table__, rows)  # type: ignore[arg-type]
        by_lower = {tag.name.lower(): tag for tag in self.find_by_names(names)}
        return [by_lower[name.lower()] for name in names]
