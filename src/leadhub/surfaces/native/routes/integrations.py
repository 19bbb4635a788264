"""/api/v1/integrations and the catalogue of their types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import (
    IntegrationCreate,
    IntegrationRead,
    IntegrationTypeRead,
    IntegrationUpdate,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute,
    prefix="/integrations",
    tags=["Integrations"],
    responses=ERROR_RESPONSES,
)

ReadIntegrations = Annotated[Principal, Depends(RequireScope("read:integrations"))]
WriteIntegrations = Annotated[Principal, Depends(RequireScope("write:integrations"))]
# The seed names only read and write here: `write:integrations` also allows deleting.
DeleteIntegrations = Annotated[Principal, Depends(RequireScope("delete:integrations"))]
IntegrationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/types", response_model=DataEnvelope[list[IntegrationTypeRead]])
def list_types(principal: ReadIntegrations) -> DataEnvelope[list[IntegrationTypeRead]]:
    """List the integration types and the settings each one takes."""
    return DataEnvelope(data=integrations.list_types())


@router.get("", response_model=PageEnvelope[IntegrationRead])
def list_integrations(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadIntegrations,
    page: PageQuery,
) -> PageEnvelope[IntegrationRead]:
    """List integrations; secrets are masked."""
    result = integrations.list_integrations(
        session, principal, page=page, secret_box=runtime.secret_box
    )
    return paginate(request, runtime, result)


@router.post("", status_code=201, response_model=DataEnvelope[IntegrationRead])
def create_integration(
    body: IntegrationCreate, runtime: RuntimeDep, session: SessionDep, principal: WriteIntegrations
) -> DataEnvelope[IntegrationRead]:
    """Create an integration; its secrets are stored encrypted and never returned."""
    created = integrations.create_integration(
        session, principal, data=body, secret_box=runtime.secret_box
    )
    return DataEnvelope(data=created)


@router.get("/{integration_id}", response_model=DataEnvelope[IntegrationRead])
def get_integration(
    integration_id: IntegrationId,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadIntegrations,
) -> DataEnvelope[IntegrationRead]:
    """Get an integration; secrets are masked."""
    found = integrations.get_integration(
        session, principal, integration_id, secret_box=runtime.secret_box
    )
    return DataEnvelope(data=found)


@router.put("/{integration_id}", response_model=DataEnvelope[IntegrationRead])
@router.patch("/{integration_id}", response_model=DataEnvelope[IntegrationRead])
def update_integration(
    integration_id: IntegrationId,
    body: IntegrationUpdate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteIntegrations,
) -> DataEnvelope[IntegrationRead]:
    """Change an integration; settings merge and an omitted secret keeps its value."""
    updated = integrations.update_integration(
        session, principal, integration_id, data=body, secret_box=runtime.secret_box
    )
    return DataEnvelope(data=updated)


@router.delete("/{integration_id}", status_code=204, response_class=Response)
def delete_integration(
    integration_id: IntegrationId, session: SessionDep, principal: DeleteIntegrations
) -> Response:
    """Delete an integration that no automation uses."""
    integrations.delete_integration(session, principal, integration_id)
    return Response(status_code=204)
