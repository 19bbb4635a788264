"""LeadTrackr's lead API: createLead (keyless, from browsers), createServerSideLead, getLeads,
getLead and updateLeadStatus, in LeadTrackr's names and shapes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.conversions import service as conversions
from leadhub.domains.events.schemas import Actor
from leadhub.domains.leads import intake
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadReference
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Forbidden, NotFound, RateLimited
from leadhub.kit.types import MAX_ID, Text
from leadhub.surfaces.common.context import set_budget
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.forms import client_ip
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.leadtrackr import translate
from leadhub.surfaces.leadtrackr.errors import ERROR_RESPONSES
from leadhub.surfaces.leadtrackr.schemas import (
    LeadTrackrCreateLead,
    LeadTrackrError,
    LeadTrackrLeadAnswer,
    LeadTrackrLeads,
    LeadTrackrSaved,
    LeadTrackrStatusAnswer,
    LeadTrackrStatusUpdate,
)

router = APIRouter(
    route_class=ThreadedRoute, prefix="/api/leads", tags=["LeadTrackr"], responses=ERROR_RESPONSES
)

ReadLeads = Annotated[Principal, Depends(RequireScope("read:leads"))]
WriteLeads = Annotated[Principal, Depends(RequireScope("write:leads"))]

SOURCE = "leadtrackr"
STATUS = "open"
# createLead is keyless: each client address may post this many leads a minute to one project.
CREATE_LIMIT = 60
CREATE_WINDOW = 60
_SAVED_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"model": LeadTrackrSaved, "description": "Lead updated successfully (same event)"},
}


@router.post(
    "/createLead",
    summary="createLead",
    status_code=201,
    response_model=LeadTrackrSaved,
    responses=_SAVED_RESPONSES,
)
def create_lead(
    body: LeadTrackrCreateLead, request: Request, response: Response, runtime: RuntimeDep
) -> LeadTrackrSaved:
    """Create a lead from a browser: no key, `projectId` names the project (workspace)."""
    project_id = (body.project_id or "").strip()
    if not project_id:
        raise translate.missing("projectId")
    budget = runtime.limiter.hit(
        f"leadtrackr-create:{client_ip(request)}:{project_id}", CREATE_LIMIT, CREATE_WINDOW
    )
    set_budget(request, budget)
    if not budget.allowed:
        raise RateLimited(budget.retry_after, "Too many requests, please try again later")
    device = {"ip_address": client_ip(request), "user_agent": request.headers.get("user-agent")}
    captured = translate.capture(body, device=device)
    with runtime.db.unit_of_work() as session:
        try:
            principal = workspaces.keyless_principal(session, project_id)
        except NotFound:
            raise NotFound("Project not found") from None
        return _save(session, principal, captured, response)


@router.post(
    "/createServerSideLead",
    summary="createServerSideLead",
    status_code=201,
    response_model=LeadTrackrSaved,
    responses=_SAVED_RESPONSES,
)
def create_server_side_lead(
    body: LeadTrackrCreateLead, response: Response, session: SessionDep, principal: WriteLeads
) -> LeadTrackrSaved:
    """Create a lead from your server with an API key (`projectId`, if sent, must be its own)."""
    captured = translate.capture(body, device=None)
    project_id = (body.project_id or "").strip()
    if project_id and project_id != workspaces.read(session, principal).public_id:
        raise Forbidden("The projectId does not belong to this API key's project")
    return _save(session, principal, captured, response)


def _save(
    session: Session, principal: Principal, captured: translate.Capture, response: Response
) -> LeadTrackrSaved:
    result = intake.capture(
        session,
        principal.workspace_id,
        data=captured.data,
        default_source=SOURCE,
        actor=Actor.of(principal),
        default_status=STATUS,
        unique_event_id=captured.unique_event_id,
    )
    saved = leads.find(session, principal, LeadReference(lead_id=result.lead_id))
    if result.is_duplicate:
        response.status_code = 200
    return LeadTrackrSaved(
        message="Lead updated successfully" if result.is_duplicate else "Lead created successfully",
        lead_id=saved.id,
        unique_identifier=saved.unique_identifier,
    )


@router.get("/getLeads", summary="getLeads", response_model=LeadTrackrLeads)
def get_leads(
    session: SessionDep,
    principal: ReadLeads,
    limit: Annotated[int, Query(ge=1, le=translate.MAX_LIMIT)] = translate.DEFAULT_LIMIT,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-indexed")] = 1,
    status: Annotated[Text | None, Query(description="Comma-separated: open,pending")] = None,
    form_name: Annotated[Text | None, Query(alias="formName")] = None,
    unique_identifier: Annotated[
        Text | None, Query(alias="uniqueIdentifier", description="Exact match.")
    ] = None,
    email: Annotated[Text | None, Query(description="Exact match.")] = None,
    phone: Annotated[Text | None, Query(description="Exact match.")] = None,
    created_gte: Annotated[
        Text | None, Query(alias="createdAt[gte]", description="ISO 8601, inclusive.")
    ] = None,
    created_lte: Annotated[
        Text | None, Query(alias="createdAt[lte]", description="ISO 8601, inclusive.")
    ] = None,
    search: Annotated[
        Text | None,
        Query(description="Name, email, phone or company; at least 2 characters."),
    ] = None,
    sort: Annotated[
        Text | None,
        Query(
            description="field:direction, fields createdAt, firstName, lastName, email, price, "
            "status; directions asc, desc. Default createdAt:desc."
        ),
    ] = None,
    gclid_exists: Annotated[bool | None, Query(alias="gclid[exists]")] = None,
    cid_exists: Annotated[bool | None, Query(alias="cid[exists]")] = None,
    fbp_exists: Annotated[bool | None, Query(alias="fbp[exists]")] = None,
    fbc_exists: Annotated[bool | None, Query(alias="fbc[exists]")] = None,
) -> LeadTrackrLeads:
    """List the project's leads, filtered, searched, sorted and paginated."""
    query = translate.ListQuery(
        limit=limit,
        page=page,
        status=status,
        form_name=form_name,
        unique_identifier=unique_identifier,
        email=email,
        phone=phone,
        created_gte=created_gte,
        created_lte=created_lte,
        search=search,
        sort=sort,
        exists={"gclid": gclid_exists, "cid": cid_exists, "fbp": fbp_exists, "fbc": fbc_exists},
    )
    filters, page_request = translate.filters(query), translate.page_request(query)
    found = leads.list_leads(session, principal, filters=filters, page=page_request)
    return translate.leads_page(found)


@router.get("/getLead", summary="getLead", response_model=LeadTrackrLeadAnswer)
def get_lead(
    session: SessionDep,
    principal: ReadLeads,
    lead_id: Annotated[int | None, Query(alias="leadId", ge=1, le=MAX_ID)] = None,
    unique_identifier: Annotated[Text | None, Query(alias="uniqueIdentifier")] = None,
    email: Text | None = None,
    phone: Text | None = None,
) -> LeadTrackrLeadAnswer:
    """One lead, by leadId, else uniqueIdentifier, else email, else phone (the newest match)."""
    reference = translate.reference(
        lead_id=lead_id, unique_identifier=unique_identifier, email=email, phone=phone
    )
    return LeadTrackrLeadAnswer(lead=translate.lead(leads.find(session, principal, reference)))


@router.post(
    "/updateLeadStatus",
    summary="updateLeadStatus",
    response_model=LeadTrackrStatusAnswer,
    # `warnings` is in the answer only when the conversion was queued.
    response_model_exclude_unset=True,
    responses={409: {"model": LeadTrackrError, "description": "A conversion is already pending"}},
)
def update_lead_status(
    body: LeadTrackrStatusUpdate, session: SessionDep, principal: WriteLeads
) -> LeadTrackrStatusAnswer:
    """Reopen a lead (`open`), or queue its conversion (`lost` or a conversion label's id)."""
    reference = translate.reference(
        lead_id=body.lead_id,
        unique_identifier=body.unique_identifier,
        email=body.email,
        phone=body.phone,
    )
    change = conversions.set_status(
        session,
        principal,
        reference,
        conversion=translate.conversion(body.conversion_id),
        price_cents=translate.cents(body.price),
    )
    return translate.status_answer(change)
