"""Settings → Integrations: connect a service with the settings its type needs, enable or
disable it, delete it (owners and admins). Secrets are write-only: only their mask is shown."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from leadhub.domains.integrations import connectors
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import (
    IntegrationCreate,
    IntegrationRead,
    IntegrationTypeRead,
    IntegrationUpdate,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, settings_page, text
from leadhub.surfaces.web.session import AdminUser, Csrf, flash
from leadhub.surfaces.web.validation import parse

router = APIRouter(prefix="/settings/integrations")
IntegrationId = Annotated[int, Path(ge=1, le=MAX_ID)]
SECTION = "settings_integrations"
MOST = 100


@router.get("", response_class=HTMLResponse, name="settings_integrations")
def list_integrations(
    request: Request, user: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> HTMLResponse:
    """The integrations of the workspace, and the types that can be connected."""
    found = integrations.list_integrations(
        session, user.principal(), page=PageRequest(1, MOST), secret_box=runtime.secret_box
    )
    types = integrations.list_types()
    return settings_page(
        request,
        "settings/integrations.html",
        user,
        section=SECTION,
        integrations=found.items,
        types=types,
        labels={spec.type: spec.label for spec in types},
    )


@router.get("/new", response_class=HTMLResponse, name="settings_integration_new")
def new_integration(
    request: Request, user: AdminUser, type: Annotated[str, Query(max_length=50)] = ""
) -> HTMLResponse:
    """The settings form of one integration type."""
    spec = _spec(type)
    values: dict[str, Any] = {"name": spec.label}
    values.update({f"settings.{s.name}": s.default for s in spec.settings if s.default is not None})
    return _form(request, user, spec, None, values, {})


@router.post("", dependencies=[Csrf], name="settings_integration_create")
def create_integration(
    request: Request, user: AdminUser, session: SessionDep, runtime: RuntimeDep, form: Posted
) -> Response:
    """Connect an integration; its secrets are stored encrypted."""
    spec = _spec(text(form, "type"))
    settings, shown = _posted_settings(form, spec, editing=False)
    name = text(form, "name").strip()
    try:
        data = parse(
            IntegrationCreate, {"type": spec.type, "name": name or None, "settings": settings}
        )
        created = integrations.create_integration(
            session, user.principal(), data=data, secret_box=runtime.secret_box
        )
    except Invalid as exc:
        session.rollback()
        return _form(request, user, spec, None, {"name": name, **shown}, exc.fields, status=422)
    flash(request, f"{created.name} is connected.")
    return redirect(request, "settings_integrations")


@router.get("/{integration_id}", response_class=HTMLResponse, name="settings_integration_edit")
def edit_integration(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    integration_id: IntegrationId,
) -> HTMLResponse:
    """An integration's settings, secrets masked."""
    current = integrations.get_integration(
        session, user.principal(), integration_id, secret_box=runtime.secret_box
    )
    spec = _spec(current.type)
    values: dict[str, Any] = {"name": current.name}
    values.update(
        {
            f"settings.{s.name}": current.settings.get(s.name)
            for s in spec.settings
            if s.kind != "secret"
        }
    )
    return _form(request, user, spec, current, values, {})


@router.post("/{integration_id}", dependencies=[Csrf], name="settings_integration_update")
def update_integration(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    integration_id: IntegrationId,
    form: Posted,
) -> Response:
    """Change an integration; a secret left blank keeps its value."""
    principal, box = user.principal(), runtime.secret_box
    current = integrations.get_integration(session, principal, integration_id, secret_box=box)
    spec = _spec(current.type)
    settings, shown = _posted_settings(form, spec, editing=True)
    name = text(form, "name").strip()
    try:
        data = parse_form(
            IntegrationUpdate, {"name": name, "settings": settings}, required=["name"]
        )
        changed = integrations.update_integration(
            session, principal, integration_id, data=data, secret_box=box
        )
    except Invalid as exc:
        session.rollback()
        return _form(request, user, spec, current, {"name": name, **shown}, exc.fields, status=422)
    flash(request, f"{changed.name} is saved.")
    return redirect(request, "settings_integrations")


@router.post("/{integration_id}/active", dependencies=[Csrf], name="settings_integration_active")
def set_active(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    integration_id: IntegrationId,
    form: Posted,
) -> Response:
    """Enable or disable an integration."""
    data = IntegrationUpdate(is_active=text(form, "active") == "1")
    changed = integrations.update_integration(
        session, user.principal(), integration_id, data=data, secret_box=runtime.secret_box
    )
    flash(request, f"{changed.name} is {'enabled' if changed.is_active else 'disabled'}.")
    return redirect(request, "settings_integrations")


@router.post("/{integration_id}/test", dependencies=[Csrf], name="settings_integration_test")
def test_connection(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    integration_id: IntegrationId,
) -> Response:
    """Connect to the provider with the stored settings and say how it went."""
    outcome = connectors.test_connection(
        session,
        user.principal(),
        integration_id,
        secret_box=runtime.secret_box,
        allow_private=runtime.settings.webhook_allow_private,
        graph_version=runtime.settings.meta_graph_version,
    )
    if outcome.ok:
        flash(request, f"The connection works. {outcome.message}")
    else:
        flash(request, f"The connection failed: {outcome.message}", "error")
    return redirect(request, "settings_integration_edit", integration_id=integration_id)


@router.post("/{integration_id}/delete", dependencies=[Csrf], name="settings_integration_delete")
def delete_integration(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    integration_id: IntegrationId,
) -> Response:
    """Delete an integration that no automation uses."""
    principal = user.principal()
    current = integrations.get_integration(
        session, principal, integration_id, secret_box=runtime.secret_box
    )
    try:
        integrations.delete_integration(session, principal, integration_id)
    except Invalid as exc:
        session.rollback()
        flash(request, next(iter(exc.fields.values()), [exc.message])[0], "error")
        return redirect(request, "settings_integrations")
    flash(request, f"{current.name} is deleted.")
    return redirect(request, "settings_integrations")


def _spec(type_name: str) -> IntegrationTypeRead:
    found = next((spec for spec in integrations.list_types() if spec.type == type_name), None)
    if found is None:
        raise NotFound.of("Integration type")
    return found


def _posted_settings(
    form: FormData, spec: IntegrationTypeRead, *, editing: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The settings to send, and the values to show again if they are refused (never secrets).

    A blank secret is left out, so it keeps its value; a blank plain value is removed when
    editing; a checkbox that is not ticked is false.
    """
    settings: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    for setting in spec.settings:
        field = f"settings.{setting.name}"
        raw = text(form, field).strip()
        if setting.kind == "boolean":
            settings[setting.name] = shown[field] = raw == "1"
        elif setting.kind == "secret":
            if text(form, f"clear.{setting.name}") == "1":
                settings[setting.name] = None
            elif raw:
                settings[setting.name] = raw
        elif raw or editing:
            shown[field] = raw
            settings[setting.name] = _number(raw) if setting.kind == "integer" else raw or None
    return settings, shown


def _number(raw: str) -> int | str | None:
    """A whole number; other text goes to the service as it is, to be refused with its message."""
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


def _form(
    request: Request,
    user: AdminUser,
    spec: IntegrationTypeRead,
    current: IntegrationRead | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    known = {"name"} | {f"settings.{setting.name}" for setting in spec.settings}
    others = [text for field, texts in errors.items() if field not in known for text in texts]
    return settings_page(
        request,
        "settings/integration_form.html",
        user,
        section=SECTION,
        status=status,
        spec=spec,
        current=current,
        values=values,
        errors=errors,
        other_errors=others,
        base_url=str(request.base_url).rstrip("/"),
    )
