"""Leadsopedia's lists: /mylists (list, get, create-or-update by name, update, delete)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate, ListUpdate
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.leadsopedia import translate
from leadhub.surfaces.leadsopedia.errors import ERROR_RESPONSES, BadRequest
from leadhub.surfaces.leadsopedia.paging import PageDep, page_fields
from leadhub.surfaces.leadsopedia.schemas import (
    LeadsopediaList,
    LeadsopediaListBody,
    LeadsopediaLists,
)

router = APIRouter(
    route_class=ThreadedRoute, prefix="/mylists", tags=["Leadsopedia"], responses=ERROR_RESPONSES
)

ReadLists = Annotated[Principal, Depends(RequireScope("read:lists"))]
WriteLists = Annotated[Principal, Depends(RequireScope("write:lists"))]
ListId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=LeadsopediaLists, summary="Lists")
def get_lists(
    request: Request, runtime: RuntimeDep, session: SessionDep, principal: ReadLists, page: PageDep
) -> LeadsopediaLists:
    """Every list of the account, with how many contacts each holds."""
    found = lists.list_lists(session, principal, page=page)
    return LeadsopediaLists(
        lists=[translate.list_out(item) for item in found.items],
        **page_fields(request, runtime, found),
    )


@router.get("/{list_id}", response_model=LeadsopediaList, summary="List (By ID)")
def get_list(list_id: ListId, session: SessionDep, principal: ReadLists) -> LeadsopediaList:
    """One list's details."""
    return translate.list_out(lists.get_list(session, principal, list_id))


@router.post(
    "",
    status_code=201,
    response_model=LeadsopediaList,
    summary="Create List",
    responses={200: {"model": LeadsopediaList, "description": "A list with this name was updated"}},
)
def create_list(
    body: LeadsopediaListBody,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteLists,
) -> LeadsopediaList:
    """Create a list, or update the one that has this name already (no duplicate)."""
    saved, created = lists.save_by_name(session, principal, data=ListCreate(name=body.name))
    if created:
        response.headers["Location"] = (
            f"{runtime.settings.effective_base_url}{request.url.path.rstrip('/')}/{saved.id}"
        )
    else:
        response.status_code = 200
    return translate.list_out(saved)


@router.post("/{list_id}", response_model=LeadsopediaList, summary="Update List")
def update_list(
    list_id: ListId, body: LeadsopediaListBody, session: SessionDep, principal: WriteLists
) -> LeadsopediaList:
    """Update a list by id (an `id` in the body must name the same list)."""
    if body.id is not None and str(body.id).strip() != str(list_id):
        raise BadRequest("The id in the body does not match the list in the path.", "id")
    updated = lists.update_list(session, principal, list_id, data=ListUpdate(name=body.name))
    return translate.list_out(updated)


@router.delete("/{list_id}", status_code=204, response_class=Response, summary="Delete List")
def delete_list(list_id: ListId, session: SessionDep, principal: WriteLists) -> Response:
    """Delete a list; its contacts stay in the account's other lists and as leads."""
    lists.delete_list(session, principal, list_id)
    return Response(status_code=204)
