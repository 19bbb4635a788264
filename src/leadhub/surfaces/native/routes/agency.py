"""/api/v1/me and /api/v1/clients: who the key is, and the clients an agency holds grants on.

Every workspace route also answers under `/api/v1/clients/{client_id}/…`, where an agency's key
acts on the client through its active grant (see app.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from leadhub.auth.principal import Principal
from leadhub.domains.grants import clients
from leadhub.domains.grants.clients import ClientRead
from leadhub.domains.workspaces import service as workspaces
from leadhub.domains.workspaces.service import Identity
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep, authenticate
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(route_class=IdempotentRoute, tags=["Agency"], responses=ERROR_RESPONSES)

AnyKey = Annotated[Principal, Depends(authenticate)]
ReadClients = Annotated[Principal, Depends(RequireScope("read:clients"))]


@router.get("/me", response_model=DataEnvelope[Identity])
def me(session: SessionDep, principal: AnyKey) -> DataEnvelope[Identity]:
    """Who this key is: its workspace, whether it is an agency's, and its scopes."""
    return DataEnvelope(data=workspaces.identity(session, principal))


@router.get("/clients", response_model=PageEnvelope[ClientRead])
def list_clients(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadClients,
    page: PageQuery,
) -> PageEnvelope[ClientRead]:
    """The client workspaces the agency holds grants on, with each grant."""
    return paginate(request, runtime, clients.page_clients(session, principal, page))
