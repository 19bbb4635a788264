"""Every tag query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, literal, select

from leadhub.db.scoped import ScopedRepository
from leadhub.db.upsert import insert_ignoring_conflicts
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import LeadTag, Tag

_LOWERED_PER_QUERY = 500


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
        """The workspace's tags of these names, in any case: lowered by the database on both
        sides, as its unique index on lower(name) does (SQLite's lower() folds ASCII only,
        Python's every letter)."""
        wanted = [func.lower(literal(name)) for name in sorted(set(names))]
        if not wanted:
            return []
        statement = self.select(Tag).where(func.lower(Tag.name).in_(wanted))
        return list(self.session.scalars(statement))

    def ensure(self, names: Sequence[str]) -> list[Tag]:
        """The tags with these names, creating the missing ones (race-free), in the given order."""
        if not names:
            return []
        now = utcnow()
        rows = [
            {"workspace_id": self.workspace_id, "name": name, "created_at": now, "updated_at": now}
            for name in names
        ]
        insert_ignoring_conflicts(self.session, Tag.__table__, rows)  # type: ignore[arg-type]
        lowered = self._lowered(names)
        statement = self.select_columns(Tag, Tag, func.lower(Tag.name)).where(
            func.lower(Tag.name).in_(sorted(set(lowered.values())))
        )
        by_lower = {low: tag for tag, low in self.session.execute(statement)}
        return [by_lower[lowered[name]] for name in names]

    def _lowered(self, names: Sequence[str]) -> dict[str, str]:
        """Each name as the database lowers it (what its unique index compares), in one query
        per few hundred names (a select list's limit is 1,664 on PostgreSQL)."""
        unique = sorted(set(names))
        lowered: dict[str, str] = {}
        for start in range(0, len(unique), _LOWERED_PER_QUERY):
            chunk = unique[start : start + _LOWERED_PER_QUERY]
            row = self.session.execute(select(*(func.lower(literal(n)) for n in chunk))).one()
            lowered.update(zip(chunk, row, strict=True))
        return lowered
