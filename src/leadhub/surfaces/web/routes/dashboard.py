"""The dashboard: how leads are coming in and where they stand."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.pagination import PageRequest
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page
from leadhub.surfaces.web.session import CurrentUser

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    """The dashboard."""
    principal = user.principal()
    recent = leads.list_leads(session, principal, filters=LeadFilters(), page=PageRequest(1, 5))
    return page(request, "dashboard.html", user, recent=recent)
