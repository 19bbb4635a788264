"""Every lead-magnet query. A public page is found by its slug across workspaces by design (the
slug is a public URL), so those lookups are module functions rather than scoped methods."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import HostedPage, LeadMagnet, MagnetCapture, PageEvent


class MagnetRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[LeadMagnet], int]:
        return self.page_of(self.select(LeadMagnet).order_by(LeadMagnet.id), page)

    def find(self, reference: int | str) -> LeadMagnet | None:
        """By the integer id, or by the uuid other surfaces show."""
        column = LeadMagnet.id if isinstance(reference, int) else LeadMagnet.uuid
        statement = self.select(LeadMagnet).where(column == reference)
        return self.session.scalars(statement).first()

    def keyword_taken(self, keyword_key: str, *, other_than: int | None) -> bool:
        statement = self.select_columns(LeadMagnet, LeadMagnet.id).where(
            LeadMagnet.keyword_key == keyword_key
        )
        if other_than is not None:
            statement = statement.where(LeadMagnet.id != other_than)
        return self.session.scalar(statement.limit(1)) is not None

    def pages_of(self, magnet_ids: Sequence[int]) -> dict[int, HostedPage]:
        if not magnet_ids:
            return {}
        statement = self.select(HostedPage).where(HostedPage.magnet_id.in_(magnet_ids))
        return {page.magnet_id: page for page in self.session.scalars(statement)}

    def event_counts(self, page_id: int) -> dict[str, tuple[int, int]]:
        """Per kind: how many events, and how many distinct visitors. One aggregate query."""
        statement = (
            self.select_columns(
                PageEvent, PageEvent.kind, func.count(), func.count(distinct(PageEvent.visitor_id))
            )
            .where(PageEvent.page_id == page_id)
            .group_by(PageEvent.kind)
        )
        return {
            kind: (int(total), int(unique))
            for kind, total, unique in self.session.execute(statement)
        }

    def capture_count(self, magnet_id: int) -> int:
        statement = self.select_columns(MagnetCapture, func.count()).where(
            MagnetCapture.magnet_id == magnet_id
        )
        return int(self.session.scalar(statement) or 0)

    def capture_counts(self, magnet_ids: Sequence[int]) -> dict[int, int]:
        """How many captures each of these magnets has. One aggregate query."""
        if not magnet_ids:
            return {}
        statement = (
            self.select_columns(MagnetCapture, MagnetCapture.magnet_id, func.count())
            .where(MagnetCapture.magnet_id.in_(magnet_ids))
            .group_by(MagnetCapture.magnet_id)
        )
        return {int(magnet_id): int(n) for magnet_id, n in self.session.execute(statement)}

    def events_by_day(
        self, page_id: int, kind: str, start: datetime, end: datetime
    ) -> dict[date, int]:
        """Events of one kind per day (UTC) in [start, end), counted with GROUP BY date()."""
        day = func.date(PageEvent.created_at)
        statement = (
            self.select_columns(PageEvent, day, func.count())
            .where(
                PageEvent.page_id == page_id,
                PageEvent.kind == kind,
                PageEvent.created_at >= start,
                PageEvent.created_at < end,
            )
            .group_by(day)
        )
        return {_as_date(d): int(n) for d, n in self.session.execute(statement)}

    def captures_by_day(self, magnet_id: int, start: datetime, end: datetime) -> dict[date, int]:
        """Captures per day (UTC) in [start, end), counted with GROUP BY date()."""
        day = func.date(MagnetCapture.created_at)
        statement = (
            self.select_columns(MagnetCapture, day, func.count())
            .where(
                MagnetCapture.magnet_id == magnet_id,
                MagnetCapture.created_at >= start,
                MagnetCapture.created_at < end,
            )
            .group_by(day)
        )
        return {_as_date(d): int(n) for d, n in self.session.execute(statement)}

    def recent_captures(self, magnet_id: int, *, limit: int, offset: int) -> list[MagnetCapture]:
        """Newest first; one more than `limit` when there are more."""
        statement = (
            self.select(MagnetCapture)
            .where(MagnetCapture.magnet_id == magnet_id)
            .order_by(MagnetCapture.created_at.desc(), MagnetCapture.id.desc())
            .offset(offset)
            .limit(limit + 1)
        )
        return list(self.session.scalars(statement))


def slug_taken(session: Session, slug: str, *, other_than: int | None) -> bool:
    statement = select(HostedPage.id).where(HostedPage.slug == slug)
    if other_than is not None:
        statement = statement.where(HostedPage.id != other_than)
    return session.scalar(statement.limit(1)) is not None


def published_page(session: Session, slug: str) -> tuple[HostedPage, LeadMagnet] | None:
    statement = (
        select(HostedPage, LeadMagnet)
        .join(LeadMagnet, LeadMagnet.id == HostedPage.magnet_id)
        .where(HostedPage.slug == slug, HostedPage.status == "published")
    )
    row = session.execute(statement).first()
    return (row[0], row[1]) if row is not None else None


def add_event(session: Session, page: HostedPage, kind: str, visitor_id: str | None) -> None:
    session.add(
        PageEvent(workspace_id=page.workspace_id, page_id=page.id, kind=kind, visitor_id=visitor_id)
    )


def _as_date(value: Any) -> date:
    """SQLite's date() answers 'YYYY-MM-DD'; PostgreSQL's answers a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
