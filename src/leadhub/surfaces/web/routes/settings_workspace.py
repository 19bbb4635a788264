"""Settings → Workspace: its name, slug and default phone region (owners and admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.domains.workspaces import service as workspaces
from leadhub.domains.workspaces.service import WorkspaceUpdate
from leadhub.errors import Invalid
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, settings_page, text
from leadhub.surfaces.web.session import AdminUser, Csrf, flash

router = APIRouter(prefix="/settings/workspace")
TEMPLATE = "settings/workspace.html"


@router.get("", response_class=HTMLResponse, name="settings_workspace")
def workspace_form(request: Request, user: AdminUser, session: SessionDep) -> HTMLResponse:
    """The workspace's settings."""
    current = workspaces.read(session, user.principal())
    values = {
        "name": current.name,
        "slug": current.slug,
        "default_region": current.default_region,
        "address": current.address or "",
        "phone": current.phone or "",
    }
    return settings_page(
        request, TEMPLATE, user, section="settings_workspace", workspace=current, values=values
    )


@router.post("", dependencies=[Csrf], name="settings_workspace_update")
def update_workspace(
    request: Request, user: AdminUser, session: SessionDep, form: Posted
) -> Response:
    """Rename the workspace, change its slug, default phone region, address or phone."""
    required = ["name", "slug", "default_region"]
    values = {name: text(form, name).strip() for name in (*required, "address", "phone")}
    try:
        data = parse_form(WorkspaceUpdate, values, required=required)
        workspaces.update(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()  # a field may have changed before another was refused
        current = workspaces.read(session, user.principal())
        return settings_page(
            request,
            TEMPLATE,
            user,
            section="settings_workspace",
            status=422,
            workspace=current,
            values=values,
            errors=exc.fields,
        )
    flash(request, "The workspace settings are saved.")
    return redirect(request, "settings_workspace")
