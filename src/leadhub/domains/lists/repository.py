"""Every list query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func

from leadhub.db.scoped import ScopedRepository
from leadhub.db.upsert import insert_ignoring_conflicts
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import LeadList, ListMember


class ListRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[LeadList], int]:
        return self.page_of(self.select(LeadList).order_by(LeadList.id), page)

    def by_name(self, name: str) -> LeadList | None:
        statement = self.select(LeadList).where(func.lower(LeadList.name) == name.lower())
        return self.session.scalars(statement).first()

    def member_counts(self, list_ids: Sequence[int]) -> dict[int, int]:
        if not list_ids:
            return {}
        statement = (
            self.select_columns(ListMember, ListMember.list_id, func.count())
            .where(ListMember.list_id.in_(list_ids))
            .group_by(ListMember.list_id)
        )
        return {list_id: int(count) for list_id, count in self.session.execute(statement)}

    def members_among(self, list_id: int, lead_ids: Sequence[int]) -> set[int]:
        statement = self.select_columns(ListMember, ListMember.lead_id).where(
            ListMember.list_id == list_id, ListMember.lead_id.in_(lead_ids)
        )
        return set(self.session.scalars(statement))

    def add_members(self, list_id: int, lead_ids: Sequence[int]) -> None:
        """Put leads (already checked to be the workspace's) in a list; members stay as they are."""
        now = utcnow()
        rows = [
            {
                "workspace_id": self.workspace_id,
                "list_id": list_id,
                "lead_id": lead_id,
                "added_at": now,
            }
            for lead_id in lead_ids
        ]
        insert_ignoring_conflicts(self.session, ListMember.__table__, rows)  # type: ignore[arg-type]

    def remove_members(self, list_id: int, lead_ids: Sequence[int]) -> int:
        statement = self.delete(ListMember).where(
            ListMember.list_id == list_id, ListMember.lead_id.in_(lead_ids)
        )
        return int(self.session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]

    def lists_of(self, lead_ids: Sequence[int]) -> dict[int, list[int]]:
        """The lists each lead is in."""
        if not lead_ids:
            return {}
        statement = self.select_columns(ListMember, ListMember.lead_id, ListMember.list_id).where(
            ListMember.lead_id.in_(lead_ids)
        )
        found: dict[int, list[int]] = {}
        for lead_id, list_id in self.session.execute(statement.order_by(ListMember.list_id)):
            found.setdefault(lead_id, []).append(list_id)
        return found

    def added_at(self, list_id: int, lead_ids: Sequence[int]) -> dict[int, datetime]:
        statement = self.select_columns(ListMember, ListMember.lead_id, ListMember.added_at).where(
            ListMember.list_id == list_id, ListMember.lead_id.in_(lead_ids)
        )
        return {lead_id: added for lead_id, added in self.session.execute(statement)}

    def first_added(self, lead_ids: Sequence[int]) -> dict[int, datetime]:
        """When each lead first joined any list."""
        if not lead_ids:
            return {}
        statement = (
            self.select_columns(ListMember, ListMember.lead_id, func.min(ListMember.added_at))
            .where(ListMember.lead_id.in_(lead_ids))
            .group_by(ListMember.lead_id)
        )
        return {lead_id: added for lead_id, added in self.session.execute(statement)}

    def remove_everywhere(self, lead_id: int) -> int:
        statement = self.delete(ListMember).where(ListMember.lead_id == lead_id)
        return int(self.session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
