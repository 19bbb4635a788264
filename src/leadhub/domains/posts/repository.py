"""Every post query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import LeadMagnet, Post, PostFollowup, WebhookDelivery, Workspace


class PostRepository(ScopedRepository):
    def page(self, page: PageRequest, *, status: str | None) -> tuple[list[Post], int]:
        statement = self.select(Post).order_by(Post.id)
        if status is not None:
            statement = statement.where(Post.status == status)
        return self.page_of(statement, page)

    def between(self, start: datetime, end: datetime, *, limit: int) -> list[Post]:
        """Posts whose day (published, else scheduled) falls in [start, end), by that time."""
        day = func.coalesce(Post.published_at, Post.scheduled_at)
        statement = (
            self.select(Post).where(day >= start, day < end).order_by(day, Post.id).limit(limit)
        )
        return list(self.session.scalars(statement))

    def undated(self, *, limit: int) -> list[Post]:
        """Drafts without a time yet, newest first."""
        statement = (
            self.select(Post)
            .where(Post.scheduled_at.is_(None), Post.published_at.is_(None))
            .order_by(Post.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(statement))

    def find(self, reference: int | str, *, lock: bool = False) -> Post | None:
        """By the integer id, or by the uuid other surfaces show. `lock` holds the row until the
        commit (PostgreSQL), so a change and the publish job never interleave."""
        column = Post.id if isinstance(reference, int) else Post.uuid
        statement = self.select(Post).where(column == reference)
        if lock:
            statement = statement.with_for_update()
        return self.session.scalars(statement).first()

    def magnet(self, reference: int | str) -> LeadMagnet | None:
        column = LeadMagnet.id if isinstance(reference, int) else LeadMagnet.uuid
        statement = self.select(LeadMagnet).where(column == reference)
        return self.session.scalars(statement).first()

    def magnet_uuids(self, magnet_ids: Sequence[int]) -> dict[int, str]:
        if not magnet_ids:
            return {}
        statement = self.select_columns(LeadMagnet, LeadMagnet.id, LeadMagnet.uuid).where(
            LeadMagnet.id.in_(set(magnet_ids))
        )
        return {int(row_id): str(uuid) for row_id, uuid in self.session.execute(statement)}

    def followups_of(self, post_ids: Sequence[int]) -> dict[int, list[PostFollowup]]:
        if not post_ids:
            return {}
        statement = (
            self.select(PostFollowup)
            .where(PostFollowup.post_id.in_(post_ids))
            .order_by(PostFollowup.due_at, PostFollowup.id)
        )
        found: dict[int, list[PostFollowup]] = {}
        for row in self.session.scalars(statement):
            found.setdefault(row.post_id, []).append(row)
        return found

    def delivery_statuses(self, delivery_ids: Sequence[int]) -> list[str]:
        if not delivery_ids:
            return []
        statement = self.select_columns(WebhookDelivery, WebhookDelivery.status).where(
            WebhookDelivery.id.in_(delivery_ids)
        )
        return [str(status) for status in self.session.scalars(statement)]

    def workspace(self) -> Workspace | None:
        return self.session.get(Workspace, self.workspace_id)
