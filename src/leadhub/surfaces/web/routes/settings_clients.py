"""Settings → Clients: an agency's grants on client workspaces (owners and admins of an agency)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.auth.scopes import ALL
from leadhub.domains.grants import service as grants
from leadhub.domains.grants.clients import ClientRead
from leadhub.errors import Invalid
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, settings_page, text, texts
from leadhub.surfaces.web.routes.settings_keys import SCOPE_GROUPS
from leadhub.surfaces.web.session import AdminUser, Csrf, flash

router = APIRouter(prefix="/settings/clients")
GrantId = Annotated[int, Path(ge=1, le=MAX_ID)]
SECTION = "settings_clients"


@router.get("", response_class=HTMLResponse, name="settings_clients")
def list_grants(request: Request, user: AdminUser, session: SessionDep) -> HTMLResponse:
    """The client workspaces this agency holds grants on."""
    found = grants.list_grants(session, user.principal())
    return settings_page(
        request, "settings/clients.html", user, section=SECTION, grants=found, all_scopes=ALL
    )


@router.get("/new", response_class=HTMLResponse, name="settings_client_new")
def new_grant(request: Request, user: AdminUser, session: SessionDep) -> HTMLResponse:
    """The form to grant this agency access to a client workspace."""
    grants.require_manager(session, user.principal())
    return _form(request, user, {"client": "", "label": "", "permissions": []}, {})


@router.post("", dependencies=[Csrf], name="settings_client_create")
def create_grant(request: Request, user: AdminUser, session: SessionDep, form: Posted) -> Response:
    """Grant access to a client workspace (again, when an earlier grant was revoked)."""
    values = _values(form, "client")
    try:
        created = grants.grant_client(
            session,
            user.principal(),
            client=values["client"],
            permissions=values["permissions"],
            label=values["label"],
        )
    except Invalid as exc:
        session.rollback()
        return _form(request, user, values, exc.fields, status=422)
    flash(request, f"The agency can now act for {created.name}.")
    return redirect(request, SECTION)


@router.get("/{grant_id}", response_class=HTMLResponse, name="settings_client_edit")
def edit_grant(
    request: Request, user: AdminUser, session: SessionDep, grant_id: GrantId
) -> HTMLResponse:
    """The form to change a grant's label and permissions."""
    found = grants.get_grant(session, user.principal(), grant_id)
    values = {"label": found.grant.label or "", "permissions": found.grant.permissions}
    return _form(request, user, values, {}, found=found)


@router.post("/{grant_id}", dependencies=[Csrf], name="settings_client_update")
def update_grant(
    request: Request, user: AdminUser, session: SessionDep, grant_id: GrantId, form: Posted
) -> Response:
    """Save a grant's label and permissions."""
    values = _values(form)
    try:
        changed = grants.update_grant(
            session,
            user.principal(),
            grant_id,
            permissions=values["permissions"],
            label=values["label"],
        )
    except Invalid as exc:
        session.rollback()
        found = grants.get_grant(session, user.principal(), grant_id)
        return _form(request, user, values, exc.fields, found=found, status=422)
    flash(request, f"The grant on {changed.name} is saved.")
    return redirect(request, SECTION)


@router.post("/{grant_id}/revoke", dependencies=[Csrf], name="settings_client_revoke")
def revoke_grant(
    request: Request, user: AdminUser, session: SessionDep, grant_id: GrantId
) -> Response:
    """Revoke a grant: nobody in the agency acts for that client from the next request on."""
    revoked = grants.revoke_grant(session, user.principal(), grant_id)
    flash(request, f"The grant on {revoked.name} is revoked.")
    return redirect(request, SECTION)


def _values(form: Posted, *names: str) -> dict[str, Any]:
    values: dict[str, Any] = {name: text(form, name).strip() for name in ("label", *names)}
    values["permissions"] = texts(form, "permissions")
    return values


def _form(
    request: Request,
    user: AdminUser,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    found: ClientRead | None = None,
    status: int = 200,
) -> HTMLResponse:
    return settings_page(
        request,
        "settings/client_form.html",
        user,
        section=SECTION,
        status=status,
        values=values,
        errors=errors,
        found=found,
        scope_groups=SCOPE_GROUPS,
        all_scopes=ALL,
    )
