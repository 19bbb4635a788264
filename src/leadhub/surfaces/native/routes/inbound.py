"""POST /api/inbound/leads?tenant=SLUG: leads from other tools, de-duplicated."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from leadhub.auth.principal import Principal
from leadhub.domains.leads import intake
from leadhub.domains.leads.schemas import InboundLead
from leadhub.kit.types import Text
from leadhub.surfaces.common.deps import RequireScope, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute,
    prefix="/inbound",
    tags=["Inbound intake"],
    responses=ERROR_RESPONSES,
)

WriteLeads = Annotated[Principal, Depends(RequireScope("write:leads"))]


class IntakeAnswer(BaseModel):
    status: Literal["created", "updated"]
    lead_id: int
    is_duplicate: bool


@router.post(
    "/leads",
    status_code=201,
    response_model=IntakeAnswer,
    responses={200: {"model": IntakeAnswer, "description": "Merged into an existing lead"}},
)
def inbound_lead(
    body: InboundLead,
    tenant: Annotated[Text, Query(max_length=63, description="The workspace slug")],
    response: Response,
    session: SessionDep,
    principal: WriteLeads,
) -> IntakeAnswer:
    """Create a lead from an outside source; a match on email or phone is merged (200)."""
    result = intake.intake(session, principal, tenant=tenant, data=body, default_source="inbound")
    if result.is_duplicate:
        response.status_code = 200
    return IntakeAnswer(
        status="updated" if result.is_duplicate else "created",
        lead_id=result.lead_id,
        is_duplicate=result.is_duplicate,
    )
