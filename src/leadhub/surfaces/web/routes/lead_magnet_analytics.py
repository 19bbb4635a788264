"""A lead magnet's analytics: its numbers as cards, views and captures per day as a chart with
its table, and the recent captures page by page."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from leadhub.domains.lead_magnets import analytics
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.links import magnet_page_url
from leadhub.surfaces.web import charts
from leadhub.surfaces.web.render import may_open, page, path_or_none
from leadhub.surfaces.web.session import CurrentUser

router = APIRouter(prefix="/lead-magnets")

MagnetId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 25


@router.get("/{magnet_id}/analytics", response_class=HTMLResponse, name="lead_magnet_analytics")
def magnet_analytics(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    magnet_id: MagnetId,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """A magnet's metrics, its page views and captures per day, and its recent captures."""
    principal = user.principal()
    offset = (page_number - 1) * PER_PAGE
    report = analytics.magnet_analytics(
        session, principal, magnet_id, limit=PER_PAGE, offset=offset
    )
    daily = analytics.daily_activity(session, principal, magnet_id)
    chart = None
    if daily.total_page_views or daily.total_captures:
        chart = charts.per_day(
            daily.days,
            [("Page views", daily.page_views), ("Captures", daily.captures)],
            description=f"Page views and captures per day, last {len(daily.days)} days",
        )
    page_info = report.page
    return page(
        request,
        "lead_magnets/analytics.html",
        user,
        title=f"{report.lead_magnet.keyword}: analytics",
        report=report,
        metrics=report.metrics,
        daily=daily,
        chart=chart,
        page_number=page_number,
        page_url=(
            magnet_page_url(runtime.settings.effective_base_url, page_info.slug)
            if page_info is not None and page_info.status == "published"
            else None
        ),
        day_label=partial(charts.bucket_label, size="day"),
        link=partial(path_or_none, request),
        can_open=partial(may_open, user),
    )
