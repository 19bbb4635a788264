"""A magnet's page views and captures per day: counted by day in the database, every day present."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from leadhub.db.uow import Database
from leadhub.domains.lead_magnets import analytics
from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.lead_magnets.schemas import (
    CONTENT_ACCESS,
    PAGE_VIEW,
    DailyActivity,
    MagnetCreate,
    MagnetRead,
    MagnetUpdate,
)
from leadhub.models import HostedPage, MagnetCapture, PageEvent
from tests.factories import Workspace, make_workspace
from tests.lead_magnets.helpers import guide

TODAY = date(2025, 3, 31)


def _magnet(db: Database, workspace: Workspace, keyword: str = "GUIDE") -> MagnetRead:
    with db.unit_of_work() as session:
        data = MagnetCreate.model_validate(guide(keyword=keyword, hosted_page={"title": keyword}))
        return magnets.create_magnet(session, workspace.principal(), data=data)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _record(db: Database, magnet: MagnetRead, events: list[tuple[str, datetime]]) -> None:
    """Page events and captures ("capture") at the given times, as visitors would leave them."""
    with db.unit_of_work() as session:
        page = session.query(HostedPage).filter_by(magnet_id=magnet.id).one()
        for kind, when in events:
            if kind == "capture":
                session.add(
                    MagnetCapture(
                        workspace_id=page.workspace_id,
                        uuid=str(uuid.uuid4()),
                        magnet_id=magnet.id,
                        source="hosted_page",
                        created_at=when,
                    )
                )
            else:
                session.add(
                    PageEvent(
                        workspace_id=page.workspace_id,
                        page_id=page.id,
                        kind=kind,
                        visitor_id="v",
                        created_at=when,
                    )
                )


def _daily(db: Database, workspace: Workspace, magnet_id: int, days: int = 30) -> DailyActivity:
    with db.unit_of_work(write=False) as session:
        return analytics.daily_activity(
            session, workspace.principal(), magnet_id, days=days, today=TODAY
        )


def test_every_day_of_the_span_is_present_oldest_first(db: Database, workspace: Workspace) -> None:
    magnet = _magnet(db, workspace)
    daily = _daily(db, workspace, magnet.id)
    assert len(daily.days) == 30
    assert (daily.days[0], daily.days[-1]) == (TODAY - timedelta(days=29), TODAY)
    assert daily.page_views == (0,) * 30 and daily.captures == (0,) * 30


def test_views_and_captures_are_counted_per_day_within_the_span(
    db: Database, workspace: Workspace
) -> None:
    magnet = _magnet(db, workspace)
    other = _magnet(db, workspace, "OTHER")
    first_day = TODAY - timedelta(days=29)
    _record(
        db,
        magnet,
        [
            (PAGE_VIEW, _at(TODAY, 0)),
            (PAGE_VIEW, _at(TODAY, 23)),
            (PAGE_VIEW, _at(TODAY - timedelta(days=3))),
            (CONTENT_ACCESS, _at(TODAY)),  # not a view
            (PAGE_VIEW, _at(first_day, 0)),
            (PAGE_VIEW, _at(first_day - timedelta(days=1), 23)),  # before the span
            (PAGE_VIEW, _at(TODAY + timedelta(days=1), 0)),  # after it
            ("capture", _at(TODAY)),
            ("capture", _at(TODAY - timedelta(days=3))),
            ("capture", _at(TODAY - timedelta(days=3), 1)),
        ],
    )
    _record(db, other, [(PAGE_VIEW, _at(TODAY)), ("capture", _at(TODAY))])
    daily = _daily(db, workspace, magnet.id)
    by_day = dict(zip(daily.days, zip(daily.page_views, daily.captures, strict=True), strict=True))
    assert by_day[TODAY] == (2, 1)
    assert by_day[TODAY - timedelta(days=3)] == (1, 2)
    assert by_day[first_day] == (1, 0)
    assert (daily.total_page_views, daily.total_captures) == (4, 3)


def test_a_magnet_without_a_page_still_counts_its_captures(
    db: Database, workspace: Workspace
) -> None:
    magnet = _magnet(db, workspace)
    _record(db, magnet, [("capture", _at(TODAY))])
    with db.unit_of_work() as session:
        magnets.update_magnet(
            session,
            workspace.principal(),
            magnet.id,
            data=MagnetUpdate.model_validate(
                {
                    "delivery_mode": "external_link",
                    "external_resource_url": "https://example.com/file",
                    "hosted_page": None,
                }
            ),
        )
    daily = _daily(db, workspace, magnet.id, days=7)
    assert len(daily.days) == 7 and daily.captures[-1] == 1 and daily.total_page_views == 0


def test_capture_counts_are_per_magnet_of_the_workspace(db: Database, workspace: Workspace) -> None:
    magnet = _magnet(db, workspace)
    quiet = _magnet(db, workspace, "QUIET")
    _record(db, magnet, [("capture", _at(TODAY)), ("capture", _at(TODAY))])
    other_workspace = make_workspace(db, "globex")
    with db.unit_of_work(write=False) as session:
        counts = analytics.capture_counts(session, workspace.principal(), [magnet.id, quiet.id])
        theirs = analytics.capture_counts(session, other_workspace.principal(), [magnet.id])
    assert counts == {magnet.id: 2} and theirs == {}
