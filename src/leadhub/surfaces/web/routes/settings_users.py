"""Settings → Users and roles: invite people, change their role, deactivate or delete them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.domains.users import service as users
from leadhub.domains.users.schemas import UserCreate, UserRead, UserUpdate
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, settings_page, text
from leadhub.surfaces.web.session import AdminUser, Csrf, flash
from leadhub.surfaces.web.validation import parse

router = APIRouter(prefix="/settings/users")
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
SECTION = "settings_users"
PER_PAGE = 50
ROLES = [
    ("member", "Member — works leads, pipelines, forms and tags"),
    ("admin", "Admin — also keys, people, integrations and settings"),
    ("owner", "Owner — like an admin; a workspace keeps at least one"),
]


@router.get("", response_class=HTMLResponse, name="settings_users")
def list_users(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The workspace's people and their roles."""
    found = users.list_users(session, user.principal(), page=PageRequest(page, PER_PAGE))
    return settings_page(
        request,
        "settings/users.html",
        user,
        section=SECTION,
        people=found,
        roles=[role for role, _ in ROLES],
    )


@router.get("/new", response_class=HTMLResponse, name="settings_user_new")
def new_user(request: Request, user: AdminUser) -> HTMLResponse:
    """The form to invite a person."""
    return _form(request, user, {"name": "", "email": "", "role": "member"}, {})


@router.post("", dependencies=[Csrf], name="settings_user_create")
def create_user(request: Request, user: AdminUser, session: SessionDep, form: Posted) -> Response:
    """Add a person, who signs in with the email and the initial password given here."""
    values = {name: text(form, name).strip() for name in ("name", "email", "role")}
    password = text(form, "password")
    try:
        data = parse_form(
            UserCreate, {**values, "password": password}, required=["name", "email", "password"]
        )
        created = users.create_user(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()
        return _form(request, user, values, exc.fields, status=422)
    flash(request, f"{created.name} can now sign in with {created.email}.")
    return redirect(request, "settings_users")


@router.post("/{user_id}/role", dependencies=[Csrf], name="settings_user_role")
def change_role(
    request: Request, user: AdminUser, session: SessionDep, user_id: UserId, form: Posted
) -> Response:
    """Give a person another role (the last owner keeps theirs)."""
    changes = {"role": text(form, "role")}
    return _update(request, user, session, user_id, changes, _role_changed)


@router.post("/{user_id}/active", dependencies=[Csrf], name="settings_user_active")
def set_active(
    request: Request, user: AdminUser, session: SessionDep, user_id: UserId, form: Posted
) -> Response:
    """Deactivate a person (they are signed out and cannot sign in) or reactivate them."""
    active = text(form, "active") == "1"
    return _update(request, user, session, user_id, {"is_active": active}, _status_changed)


@router.post("/{user_id}/delete", dependencies=[Csrf], name="settings_user_delete")
def delete_user(
    request: Request, user: AdminUser, session: SessionDep, user_id: UserId
) -> Response:
    """Delete a person; their leads become unassigned."""
    person = users.get_user(session, user.principal(), user_id)
    try:
        users.delete_user(session, user.principal(), user_id)
    except Invalid as exc:
        session.rollback()
        flash(request, _first(exc), "error")
        return redirect(request, "settings_users")
    flash(request, f"{person.name} is deleted.")
    return redirect(request, "settings_users")


def _update(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    user_id: int,
    changes: Mapping[str, object],
    done: Callable[[UserRead], str],
) -> Response:
    try:
        changed = users.update_user(
            session, user.principal(), user_id, data=parse(UserUpdate, changes)
        )
    except Invalid as exc:
        session.rollback()
        flash(request, _first(exc), "error")
        return redirect(request, "settings_users")
    flash(request, done(changed))
    return redirect(request, "settings_users")


def _role_changed(person: UserRead) -> str:
    article = "an" if person.role in ("admin", "owner") else "a"
    return f"{person.name} is now {article} {person.role}."


def _status_changed(person: UserRead) -> str:
    return f"{person.name} is {'active again' if person.is_active else 'deactivated'}."


def _first(exc: Invalid) -> str:
    """The one message a row action shows at the top of the list."""
    for messages in exc.fields.values():
        if messages:
            return messages[0]
    return exc.message


def _form(
    request: Request,
    user: AdminUser,
    values: dict[str, str],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    return settings_page(
        request,
        "settings/user_new.html",
        user,
        section=SECTION,
        status=status,
        values=values,
        errors=errors,
        roles=ROLES,
    )
