"""/api/v1/automations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.automations import service as automations
from leadhub.domains.automations.schemas import (
    AutomationCreate,
    AutomationRead,
    AutomationUpdate,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute,
    prefix="/automations",
    tags=["Automations"],
    responses=ERROR_RESPONSES,
)

ReadAutomations = Annotated[Principal, Depends(RequireScope("read:automations"))]
WriteAutomations = Annotated[Principal, Depends(RequireScope("write:automations"))]
DeleteAutomations = Annotated[Principal, Depends(RequireScope("delete:automations"))]
AutomationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=PageEnvelope[AutomationRead])
def list_automations(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadAutomations,
    page: PageQuery,
) -> PageEnvelope[AutomationRead]:
    """List automations, oldest first."""
    return paginate(request, runtime, automations.list_automations(session, principal, page=page))


@router.post("", status_code=201, response_model=DataEnvelope[AutomationRead])
def create_automation(
    body: AutomationCreate, session: SessionDep, principal: WriteAutomations
) -> DataEnvelope[AutomationRead]:
    """Create an automation: a trigger, conditions on the lead, and actions in order."""
    return DataEnvelope(data=automations.create_automation(session, principal, data=body))


@router.get("/{automation_id}", response_model=DataEnvelope[AutomationRead])
def get_automation(
    automation_id: AutomationId, session: SessionDep, principal: ReadAutomations
) -> DataEnvelope[AutomationRead]:
    """Get an automation."""
    return DataEnvelope(data=automations.get_automation(session, principal, automation_id))


@router.put("/{automation_id}", response_model=DataEnvelope[AutomationRead])
@router.patch("/{automation_id}", response_model=DataEnvelope[AutomationRead])
def update_automation(
    automation_id: AutomationId,
    body: AutomationUpdate,
    session: SessionDep,
    principal: WriteAutomations,
) -> DataEnvelope[AutomationRead]:
    """Change an automation; `is_active` enables or disables it."""
    updated = automations.update_automation(session, principal, automation_id, data=body)
    return DataEnvelope(data=updated)


@router.delete("/{automation_id}", status_code=204, response_class=Response)
def delete_automation(
    automation_id: AutomationId, session: SessionDep, principal: DeleteAutomations
) -> Response:
    """Delete an automation."""
    automations.delete_automation(session, principal, automation_id)
    return Response(status_code=204)
