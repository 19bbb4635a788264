"""Conversions: rate open leads with a label, process the ratings, and follow them as they are
sent to the ad platforms (LeadTrackr's rate-and-process flow; members too)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.conversions import labels
from leadhub.domains.conversions import service as conversions
from leadhub.domains.conversions.schemas import LOST, PENDING, RATED, ConversionRead, Rating
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.domains.users.signin import Membership
from leadhub.errors import Conflict, Invalid
from leadhub.kit.pagination import Page, PageRequest
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page, redirect, templates
from leadhub.surfaces.web.routes import conversion_support  # noqa: F401  (its template filters)
from leadhub.surfaces.web.routes.lead_support import LeadId, PostedForm, lead_name, leads_count
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter(prefix="/conversions")
Tab = Literal["open", "pending", "rated"]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
PER_PAGE = 25
REFRESH_SECONDS = 5
MOST_WARNINGS = 3  # warnings named one by one in the flash after processing
# Which lead statuses each tab shows; every other status counts as open.
CLOSED = (PENDING, RATED, LOST)
TAB_STATUSES: dict[str, tuple[str, ...]] = {"pending": (PENDING,), "rated": (RATED, LOST)}
TAB_LABELS = {"open": "Open", "pending": "Pending", "rated": "Rated"}
BADGES = ("gclid", "wbraid", "fbc", "fbp", "cid")


@router.get("", response_class=HTMLResponse, name="conversions")
def open_leads(
    request: Request, user: CurrentUser, session: SessionDep, page: PageNumber = 1
) -> HTMLResponse:
    """The open leads, newest first, each to rate with a label (or as lost)."""
    return _tab(request, user, session, "open", page)


@router.get("/pending", response_class=HTMLResponse, name="conversions_pending")
def pending_leads(
    request: Request, user: CurrentUser, session: SessionDep, page: PageNumber = 1
) -> HTMLResponse:
    """The leads whose conversion is being sent, with each send's status."""
    return _tab(request, user, session, "pending", page)


@router.get("/pending/rows", response_class=HTMLResponse, name="conversions_pending_rows")
def pending_rows(
    request: Request, user: CurrentUser, session: SessionDep, page: PageNumber = 1
) -> HTMLResponse:
    """The Pending tab's table alone, which the page refreshes every few seconds."""
    context = _context(session, user.principal(), "pending", page)
    return templates.TemplateResponse(request, "conversions/_pending.html", context)


@router.get("/rated", response_class=HTMLResponse, name="conversions_rated")
def rated_leads(
    request: Request, user: CurrentUser, session: SessionDep, page: PageNumber = 1
) -> HTMLResponse:
    """The processed leads: their label, the outcome and when it settled; lost leads too."""
    return _tab(request, user, session, "rated", page)


@router.post("/process", dependencies=[Csrf], name="conversions_process")
def process_all(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Queue every rated lead's conversion for the ad platforms."""
    queued = conversions.process(session, user.principal())
    _flash_processed(request, queued)
    return redirect(request, "conversions_pending" if queued else "conversions")


@router.post("/leads/{lead_id}/rate", dependencies=[Csrf], name="conversion_rate")
def rate_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Rate a lead with a label, or as lost; the rating waits to be processed."""
    lost = form.get("lost") == "1"
    label_id = str(form.get("label_id") or "").strip()
    try:
        if not lost and not label_id.isdigit():
            raise Invalid.field("label_id", "Choose a label to rate the lead with.")
        rating = Rating(lost=True) if lost else Rating(label_id=int(label_id))
        rated = conversions.rate(session, user.principal(), lead_id, rating=rating)
    except (Invalid, Conflict) as exc:
        session.rollback()
        flash(request, _message(exc), "error")
    else:
        lead = leads.get(session, user.principal(), lead_id)
        flash(request, f"Rated {lead_name(lead)} “{rated.label_name}”. Process to send it.")
    return _back(request, form, lead_id)


@router.post("/leads/{lead_id}/reopen", dependencies=[Csrf], name="conversion_reopen")
def reopen_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Undo a rating that is not processed yet: the lead is open again."""
    try:
        conversions.reopen(session, user.principal(), lead_id)
    except Conflict as exc:
        session.rollback()
        flash(request, exc.message, "error")
    else:
        lead = leads.get(session, user.principal(), lead_id)
        flash(request, f"{lead_name(lead)} is open again.")
    return _back(request, form, lead_id)


@router.post("/leads/{lead_id}/process", dependencies=[Csrf], name="conversion_process_lead")
def process_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Queue this lead's rating now."""
    leads.get(session, user.principal(), lead_id)  # NotFound for another workspace's lead
    queued = conversions.process(session, user.principal(), lead_ids=[lead_id])
    _flash_processed(request, queued)
    return _back(request, form, lead_id)


# -- the tabs ---------------------------------------------------------------------------------


def _tab(
    request: Request, user: Membership, session: Session, tab: Tab, number: int
) -> HTMLResponse:
    principal = user.principal()
    context = _context(session, principal, tab, number)
    counts = {
        other: _leads(session, principal, other, 1, per_page=1).total if other != tab else None
        for other in TAB_LABELS
    }
    counts[tab] = context["result"].total
    return page(
        request,
        f"conversions/{tab}.html",
        user,
        title=f"Conversions · {TAB_LABELS[tab]}",
        tab=tab,
        tabs=TAB_LABELS,
        counts=counts,
        refresh_seconds=REFRESH_SECONDS,
        **context,
    )


def _context(session: Session, principal: Principal, tab: Tab, number: int) -> dict[str, Any]:
    """The tab's page of leads, each lead's newest conversion, and the labels to rate with."""
    result = _leads(session, principal, tab, number)
    latest = conversions.latest_by_lead(session, principal, [lead.id for lead in result.items])
    return {
        "result": result,
        "latest": latest,
        "labels": labels.all_labels(session, principal) if tab == "open" else [],
        "badges": BADGES,
    }


def _leads(
    session: Session, principal: Principal, tab: str, number: int, *, per_page: int = PER_PAGE
) -> Page[Any]:
    request = PageRequest.clamped(number, per_page)
    if tab == "open":
        filters = LeadFilters(excluded_statuses=sorted(CLOSED))
    else:
        filters = LeadFilters(statuses=list(TAB_STATUSES[tab]), sort="updated_at")
    return leads.list_leads(session, principal, filters=filters, page=request)


# -- after a post -----------------------------------------------------------------------------


def _flash_processed(request: Request, queued: list[ConversionRead]) -> None:
    if not queued:
        flash(request, "There are no rated leads to process. Rate leads first.", "error")
        return
    flash(request, f"Queued the conversions of {leads_count(len(queued))}.")
    warnings = [
        f"{warning.get('name') or warning.get('integration')}: {warning.get('message')}"
        for conversion in queued
        for warning in conversion.warnings
    ]
    if warnings:
        shown = "; ".join(warnings[:MOST_WARNINGS])
        more = len(warnings) - MOST_WARNINGS
        suffix = f" (and {more} more)" if more > 0 else ""
        flash(request, f"Not sent everywhere: {shown}{suffix}", "info")


def _back(request: Request, form: PostedForm, lead_id: int) -> Response:
    """Back where the post came from: the lead's page, or the Open tab at its page."""
    if form.get("back") == "lead":
        return redirect(request, "lead", lead_id=lead_id)
    number = str(form.get("page") or "")
    return redirect(request, "conversions", query={"page": number if number.isdigit() else None})


def _message(exc: Invalid | Conflict) -> str:
    if isinstance(exc, Invalid):
        return next(iter(exc.fields.values()), [exc.message])[0]
    return exc.message
