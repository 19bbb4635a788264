"""/api/v1/lists: lists of leads and who is in them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import (
    ListCreate,
    ListMembers,
    ListRead,
    ListUpdate,
    MembershipChange,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/lists", tags=["Lists"], responses=ERROR_RESPONSES
)

ReadLists = Annotated[Principal, Depends(RequireScope("read:lists"))]
WriteLists = Annotated[Principal, Depends(RequireScope("write:lists"))]
DeleteLists = Annotated[Principal, Depends(RequireScope("delete:lists"))]
ListId = Annotated[int, Path(ge=1, le=MAX_ID)]
LeadId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=PageEnvelope[ListRead])
def list_lists(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadLists,
    page: PageQuery,
) -> PageEnvelope[ListRead]:
    """List the workspace's lists, oldest first, with how many leads each holds.

    The leads of a list are `GET /api/v1/leads?list_id=…`, with every other filter of that list.
    """
    return paginate(request, runtime, lists.list_lists(session, principal, page=page))


@router.post("", status_code=201, response_model=DataEnvelope[ListRead])
def create_list(
    body: ListCreate, session: SessionDep, principal: WriteLists
) -> DataEnvelope[ListRead]:
    """Create a list (names are unique regardless of case)."""
    return DataEnvelope(data=lists.create_list(session, principal, data=body))


@router.get("/{list_id}", response_model=DataEnvelope[ListRead])
def get_list(list_id: ListId, session: SessionDep, principal: ReadLists) -> DataEnvelope[ListRead]:
    """Get a list."""
    return DataEnvelope(data=lists.get_list(session, principal, list_id))


@router.put("/{list_id}", response_model=DataEnvelope[ListRead])
@router.patch("/{list_id}", response_model=DataEnvelope[ListRead])
def update_list(
    list_id: ListId, body: ListUpdate, session: SessionDep, principal: WriteLists
) -> DataEnvelope[ListRead]:
    """Rename a list or change its description."""
    return DataEnvelope(data=lists.update_list(session, principal, list_id, data=body))


@router.delete("/{list_id}", status_code=204, response_class=Response)
def delete_list(list_id: ListId, session: SessionDep, principal: DeleteLists) -> Response:
    """Delete a list; its leads stay in the workspace."""
    lists.delete_list(session, principal, list_id)
    return Response(status_code=204)


@router.post("/{list_id}/leads", response_model=DataEnvelope[MembershipChange])
def add_leads(
    list_id: ListId, body: ListMembers, session: SessionDep, principal: WriteLists
) -> DataEnvelope[MembershipChange]:
    """Put up to 1,000 leads in a list; leads already in it stay as they are."""
    return DataEnvelope(data=lists.add_leads(session, principal, list_id, body.lead_ids))


@router.post("/{list_id}/leads/remove", response_model=DataEnvelope[MembershipChange])
def remove_leads(
    list_id: ListId, body: ListMembers, session: SessionDep, principal: WriteLists
) -> DataEnvelope[MembershipChange]:
    """Take up to 1,000 leads out of a list; the leads stay in the workspace."""
    return DataEnvelope(data=lists.remove_leads(session, principal, list_id, body.lead_ids))


@router.delete("/{list_id}/leads/{lead_id}", status_code=204, response_class=Response)
def remove_lead(
    list_id: ListId, lead_id: LeadId, session: SessionDep, principal: WriteLists
) -> Response:
    """Take one lead out of a list."""
    lists.remove_lead(session, principal, list_id, lead_id)
    return Response(status_code=204)
