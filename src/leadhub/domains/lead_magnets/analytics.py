"""A magnet's numbers: counted by aggregate queries over its page's events and its captures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.lead_magnets import service
from leadhub.domains.lead_magnets.repository import MagnetRepository
from leadhub.domains.lead_magnets.schemas import (
    CONTENT_ACCESS,
    CTA_CLICK,
    DOWNLOAD_CLICK,
    PAGE_VIEW,
    UNLOCK,
    CaptureRead,
    DailyActivity,
    MagnetAnalytics,
    MagnetMetrics,
    MagnetSummary,
    OffsetPagination,
    PageSummary,
)
from leadhub.kit.clock import utcnow

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
DAILY_DAYS = 30
MAX_DAILY_DAYS = 366


def magnet_analytics(
    session: Session,
    principal: Principal,
    reference: int | str,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> MagnetAnalytics:
    """Views, unique visitors, unlocks, clicks and captures, with the recent captures paged."""
    repo = MagnetRepository(session, principal.workspace_id)
    magnet = service.require(repo, reference)
    page = repo.pages_of([magnet.id]).get(magnet.id)
    counts = repo.event_counts(page.id) if page is not None else {}

    def total(kind: str) -> int:
        return counts.get(kind, (0, 0))[0]

    unique_visitors = counts.get(PAGE_VIEW, (0, 0))[1]
    unlocks = total(UNLOCK)
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    rows = repo.recent_captures(magnet.id, limit=limit, offset=offset)
    return MagnetAnalytics(
        lead_magnet=MagnetSummary(
            id=magnet.id,
            uuid=magnet.uuid,
            keyword=magnet.keyword,
            resource_name=magnet.resource_name,
        ),
        page=(
            PageSummary(
                id=page.uuid,
                title=page.title,
                slug=page.slug,
                status=page.status,
                published_at=page.published_at,
                created_at=page.created_at,
                updated_at=page.updated_at,
            )
            if page is not None
            else None
        ),
        metrics=MagnetMetrics(
            page_views=total(PAGE_VIEW),
            unique_visitors=unique_visitors,
            unique_visitors_limited=False,
            unlocks=unlocks,
            conversion_rate=round(unlocks / unique_visitors, 4) if unique_visitors else 0.0,
            content_access=total(CONTENT_ACCESS),
            cta_clicks=total(CTA_CLICK),
            download_clicks=total(DOWNLOAD_CLICK),
            captures=repo.capture_count(magnet.id),
        ),
        recent_captures=[
            CaptureRead(
                id=row.uuid,
                source=row.source,
                lead_id=row.lead_id,
                tracking_link_id=row.tracking_link_id,
                created_at=row.created_at,
            )
            for row in rows[:limit]
        ],
        pagination=OffsetPagination(limit=limit, offset=offset, has_more=len(rows) > limit),
    )


def daily_activity(
    session: Session,
    principal: Principal,
    reference: int | str,
    *,
    days: int = DAILY_DAYS,
    today: date | None = None,
) -> DailyActivity:
    """Page views and captures per day over the last `days` days (UTC), today included."""
    repo = MagnetRepository(session, principal.workspace_id)
    magnet = service.require(repo, reference)
    last = today or utcnow().date()
    span = tuple(
        last - timedelta(days=n) for n in reversed(range(max(1, min(days, MAX_DAILY_DAYS))))
    )
    start, end = _midnight(span[0]), _midnight(last + timedelta(days=1))
    page = repo.pages_of([magnet.id]).get(magnet.id)
    views = repo.events_by_day(page.id, PAGE_VIEW, start, end) if page is not None else {}
    captures = repo.captures_by_day(magnet.id, start, end)
    return DailyActivity(
        days=span,
        page_views=tuple(views.get(day, 0) for day in span),
        captures=tuple(captures.get(day, 0) for day in span),
    )


def capture_counts(
    session: Session, principal: Principal, magnet_ids: Sequence[int]
) -> dict[int, int]:
    """How many captures each of these magnets has (missing ones have none)."""
    return MagnetRepository(session, principal.workspace_id).capture_counts(magnet_ids)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
