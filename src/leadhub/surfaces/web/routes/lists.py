"""Lists: the workspace's named sets of leads; create, rename and delete them (members too).

Who is in a list is worked from the leads table (filtered by `?list_id=`, with its bulk actions)
and from a lead's page; deleting a list leaves its leads in place.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate, ListRead, ListUpdate
from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page, path_for, redirect
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash, require_scope

router = APIRouter(prefix="/lists")
ListId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 50


@router.get("", response_class=HTMLResponse, name="lists")
def list_lists(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The workspace's lists with how many leads each holds, and the form to create one."""
    require_scope(user.principal(), "read:lists")
    return _index(request, user, session, page, {"name": "", "description": ""}, {})


@router.post("", response_class=HTMLResponse, dependencies=[Csrf], name="list_create")
def create_list(request: Request, user: CurrentUser, session: SessionDep, form: Posted) -> Response:
    """Create a list; a blank or taken name is shown beside the field."""
    principal = user.principal()
    require_scope(principal, "write:lists")
    values = _values(form)
    try:
        data = parse_form(ListCreate, _data(values), required=["name"])
        created = lists.create_list(session, principal, data=data)
    except Invalid as exc:
        session.rollback()
        return _index(request, user, session, 1, values, exc.fields, status=422)
    flash(request, f"The list “{created.name}” is created. Add leads to it from the leads table.")
    return redirect(request, "lists")


@router.get("/{list_id}/edit", response_class=HTMLResponse, name="list_edit")
def edit_list(
    request: Request, user: CurrentUser, session: SessionDep, list_id: ListId
) -> HTMLResponse:
    """The form to rename a list or change its description."""
    require_scope(user.principal(), "write:lists")
    found = lists.get_list(session, user.principal(), list_id)
    values = {"name": found.name, "description": found.description or ""}
    return _edit(request, user, found, values, {})


@router.post(
    "/{list_id}/edit", response_class=HTMLResponse, dependencies=[Csrf], name="list_update"
)
def update_list(
    request: Request, user: CurrentUser, session: SessionDep, list_id: ListId, form: Posted
) -> Response:
    """Rename a list or change its description; its leads stay in it."""
    principal = user.principal()
    require_scope(principal, "write:lists")
    values = _values(form)
    try:
        data = parse_form(ListUpdate, _data(values), required=["name"])
        changed = lists.update_list(session, principal, list_id, data=data)
    except Invalid as exc:
        session.rollback()
        found = lists.get_list(session, principal, list_id)
        return _edit(request, user, found, values, exc.fields, status=422)
    flash(request, f"The list “{changed.name}” is saved.")
    return redirect(request, "lists")


@router.post(
    "/{list_id}/delete", response_class=HTMLResponse, dependencies=[Csrf], name="list_delete"
)
def delete_list(
    request: Request, user: CurrentUser, session: SessionDep, list_id: ListId, form: Posted
) -> Response:
    """Delete a list once confirmed (by the dialog, or on a page without JavaScript); its leads
    stay in the workspace."""
    principal = user.principal()
    require_scope(principal, "delete:lists")
    found = lists.get_list(session, principal, list_id)
    if text(form, "confirm") != "yes":
        return page(
            request,
            "lists/confirm.html",
            user,
            title=f"Delete the list “{found.name}”?",
            message=_stays(found),
            action=path_for(request, "list_delete", list_id=list_id),
            hidden=[],
            cancel=path_for(request, "lists"),
            confirm_label="Yes, delete the list",
        )
    lists.delete_list(session, principal, list_id)
    flash(request, f"The list “{found.name}” is deleted; its leads stay in the workspace.")
    return redirect(request, "lists")


def _stays(found: ListRead) -> str:
    """What deleting a list does, in words."""
    count = found.total_contacts
    held = (
        "It holds no leads"
        if not count
        else "Its one lead stays in the workspace"
        if count == 1
        else f"Its {count} leads stay in the workspace"
    )
    return f"{held}; only the list goes. This cannot be undone."


def _values(form: Posted) -> dict[str, str]:
    return {"name": text(form, "name").strip(), "description": text(form, "description").strip()}


def _data(values: dict[str, str]) -> dict[str, str | None]:
    """The service's input: a blank name stays blank (so it is refused), no description is None."""
    return {"name": values["name"], "description": values["description"] or None}


def _index(
    request: Request,
    user: Membership,
    session: Session,
    page_number: int,
    values: dict[str, str],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    principal = user.principal()
    found = lists.list_lists(session, principal, page=PageRequest(page_number, PER_PAGE))
    return page(
        request,
        "lists/index.html",
        user,
        status=status,
        title="Lists",
        lists=found,
        values=values,
        errors=errors,
        can_write=principal.allows("write:lists"),
        can_delete=principal.allows("delete:lists"),
        can_export=principal.allows("write:exports"),
        stays=_stays,
    )


def _edit(
    request: Request,
    user: Membership,
    found: ListRead,
    values: dict[str, str],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "lists/edit.html",
        user,
        status=status,
        title=f"Edit list {found.name}",
        lead_list=found,
        values=values,
        errors=errors,
        can_delete=user.principal().allows("delete:lists"),
        stays=_stays,
    )
