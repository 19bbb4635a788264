"""The dashboard: how leads are coming in and where they stand, as charts and their numbers."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.domains.reports import service as reports
from leadhub.domains.reports.schemas import Dashboard
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web import charts
from leadhub.surfaces.web.render import page, path_or_none
from leadhub.surfaces.web.session import CurrentUser

router = APIRouter()
LATEST = 5


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    period: str = reports.DEFAULT_PERIOD,
    pipeline: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The dashboard."""
    principal = user.principal()
    if period not in reports.PERIODS:  # a mistyped link still shows a dashboard
        period = reports.DEFAULT_PERIOD
    report = reports.dashboard(session, principal, period=period, pipeline_id=pipeline)
    recent = leads.list_leads(
        session, principal, filters=LeadFilters(), page=PageRequest(1, LATEST)
    )
    return page(
        request,
        "dashboard.html",
        user,
        report=report,
        charts=_charts(report),
        periods=[(key, value.label) for key, value in reports.PERIODS.items()],
        recent=recent,
        bucket_label=charts.bucket_label,
        status_label=charts.status_label,
        link=partial(path_or_none, request),
    )


def _charts(report: Dashboard) -> dict[str, Markup]:
    """The SVG of each chart that has something to show."""
    span = report.window.label.lower()
    drawn: dict[str, Markup] = {}
    if report.over_time.total:
        per = report.window.bucket_size
        drawn["over_time"] = charts.leads_over_time(
            report.over_time, description=f"New leads per {per} by source, {span}"
        )
    if report.funnel.total and report.funnel.pipeline is not None:
        drawn["funnel"] = charts.funnel(
            report.funnel,
            description=f"Leads created {span} by stage of {report.funnel.pipeline.name}",
        )
    if report.statuses:
        drawn["statuses"] = charts.by_status(
            report.statuses, description=f"Leads created {span} by status"
        )
    if report.top_forms:
        drawn["top_forms"] = charts.top_forms(
            report.top_forms, description=f"Submissions per form, {span}"
        )
    return drawn
