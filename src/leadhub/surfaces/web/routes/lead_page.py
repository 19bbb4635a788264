"""A lead's page: every field, its tags and lists, attribution, form submissions and timeline;
deleting it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leadhub.domains.conversions import labels as conversion_labels
from leadhub.domains.conversions import service as conversions
from leadhub.domains.events import service as events
from leadhub.domains.events.actors import actor_names
from leadhub.domains.forms.lead_submissions import list_for_lead
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import Attribution
from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page, path_for, path_or_none, redirect
from leadhub.surfaces.web.routes import (
    conversion_support,  # noqa: F401  (its template filters)
    list_support,
)
from leadhub.surfaces.web.routes.lead_support import (
    ATTRIBUTION_LABELS,
    LeadId,
    PostedForm,
    lead_name,
    load_choices,
    require_delete,
)
from leadhub.surfaces.web.routes.lead_timeline import entries
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter()

TIMELINE_PER_PAGE = 20
SUBMISSIONS_PER_PAGE = 10


@router.get("/leads/{lead_id}", response_class=HTMLResponse, name="lead")
def show_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId
) -> HTMLResponse:
    """A lead's page."""
    return _render(request, user, session, lead_id)


@router.post(
    "/leads/{lead_id}/tags", response_class=HTMLResponse, dependencies=[Csrf], name="lead_tag_add"
)
def add_tag(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Tag the lead (the tag is created on first use)."""
    tag = str(form.get("tag") or "").strip()
    try:
        if not tag:
            raise Invalid.field("tag", "The tag field is required.")
        leads.add_tag(session, user.principal(), lead_id, tag)
    except Invalid as exc:
        session.rollback()
        message = (exc.fields.get("tag") or [exc.message])[0]
        return _render(request, user, session, lead_id, tag=tag, tag_error=message, status=422)
    flash(request, f"Tagged “{tag}”.")
    return redirect(request, "lead", lead_id=lead_id)


@router.post("/leads/{lead_id}/tags/remove", dependencies=[Csrf], name="lead_tag_remove")
def remove_tag(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Take a tag off the lead."""
    tag = str(form.get("tag") or "").strip()
    leads.remove_tag(session, user.principal(), lead_id, tag)
    if tag:
        flash(request, f"Removed the tag “{tag}”.")
    return redirect(request, "lead", lead_id=lead_id)


@router.post(
    "/leads/{lead_id}/lists",
    response_class=HTMLResponse,
    dependencies=[Csrf],
    name="lead_list_add",
)
def add_to_list(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Put the lead in a list."""
    try:
        chosen = list_support.add_lead(session, user.principal(), lead_id, form)
    except Invalid as exc:
        session.rollback()
        message = (exc.fields.get("list_id") or [exc.message])[0]
        return _render(request, user, session, lead_id, list_error=message, status=422)
    flash(request, f"Added to the list “{chosen.name}”.")
    return redirect(request, "lead", lead_id=lead_id)


@router.post("/leads/{lead_id}/lists/remove", dependencies=[Csrf], name="lead_list_remove")
def remove_from_list(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Take the lead out of a list (it stays in the workspace)."""
    try:
        chosen, was_in = list_support.remove_lead(session, user.principal(), lead_id, form)
    except Invalid as exc:
        flash(request, (exc.fields.get("list_id") or [exc.message])[0], "error")
        return redirect(request, "lead", lead_id=lead_id)
    done = "Taken out of" if was_in else "It was not in"
    flash(request, f"{done} the list “{chosen.name}”.")
    return redirect(request, "lead", lead_id=lead_id)


@router.post(
    "/leads/{lead_id}/delete", response_class=HTMLResponse, dependencies=[Csrf], name="lead_delete"
)
def delete_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Delete the lead, once confirmed (by the dialog, or on a page without JavaScript)."""
    principal = user.principal()
    require_delete(principal)
    lead = leads.get(session, principal, lead_id)
    if form.get("confirm") != "yes":
        return page(
            request,
            "leads/confirm_delete.html",
            user,
            title=f"Delete {lead_name(lead)}?",
            message="The lead, its tags and its place in pipelines will be deleted. "
            "This cannot be undone.",
            action=path_for(request, "lead_delete", lead_id=lead_id),
            hidden=[],
            cancel=path_for(request, "lead", lead_id=lead_id),
        )
    leads.delete(session, principal, lead_id)
    flash(request, f"Deleted {lead_name(lead)}.")
    return redirect(request, "leads")


def _render(
    request: Request,
    user: Membership,
    session: Session,
    lead_id: int,
    *,
    tag: str = "",
    tag_error: str | None = None,
    list_error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    principal = user.principal()
    lead = leads.get(session, principal, lead_id)
    choices = load_choices(session, principal, with_forms=True)
    timeline = events.timeline(
        session, principal, lead_id, page=_page(request, "timeline_page", TIMELINE_PER_PAGE)
    )
    submissions = list_for_lead(
        session, principal, lead_id, page=_page(request, "submissions_page", SUBMISSIONS_PER_PAGE)
    )
    actors = actor_names(session, principal, timeline.items)
    rated = conversions.list_for_lead(session, principal, lead_id)
    return page(
        request,
        "leads/show.html",
        user,
        status=status,
        title=lead_name(lead),
        lead=lead,
        choices=choices,
        attribution=_attribution(lead.attribution),
        conversions=rated,
        conversion_labels=conversion_labels.all_labels(session, principal),
        submissions=submissions,
        timeline=timeline,
        entries=entries(timeline.items, actors=actors, choices=choices),
        tag=tag,
        tag_error=tag_error,
        lead_lists=list_support.of_lead(session, principal, lead_id),
        list_error=list_error,
        form_href=lambda form_id: path_or_none(request, "form_detail", form_id=form_id),
    )


def _attribution(attribution: Attribution) -> list[tuple[str, str]]:
    values = attribution.model_dump()
    return [(label, values[name]) for name, label in ATTRIBUTION_LABELS.items() if values[name]]


def _page(request: Request, name: str, per_page: int) -> PageRequest:
    text = request.query_params.get(name, "1")
    number = int(text) if text.isdigit() and len(text) < 8 else 1
    return PageRequest.clamped(number, per_page)
