"""Automations: the list, the rule builder, enable and disable, and each automation's runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leadhub.domains.automations import runs as automation_runs
from leadhub.domains.automations import service as automations
from leadhub.domains.automations.schemas import (
    AutomationCreate,
    AutomationRead,
    AutomationUpdate,
)
from leadhub.domains.forms import service as forms
from leadhub.domains.integrations import service as integrations
from leadhub.domains.pipelines import service as pipelines
from leadhub.domains.users import service as users
from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid
from leadhub.kit.pagination import MAX_PER_PAGE, PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.routes.automation_form import (
    ACTIONS,
    OPERATORS,
    TRIGGERS,
    RowMap,
    automation_data,
    posted_values,
    row_errors,
    values_of,
)
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash
from leadhub.surfaces.web.validation import parse

router = APIRouter(prefix="/automations")
AutomationId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 50
RUNS_PER_PAGE = 25


@router.get("", response_class=HTMLResponse, name="automations")
def list_automations(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The workspace's automations with their trigger, state and last run."""
    principal = user.principal()
    found = automations.list_automations(
        session, principal, page=PageRequest(page_number, PER_PAGE)
    )
    latest = automation_runs.latest_runs(session, principal, [one.id for one in found.items])
    return page(
        request,
        "automations/list.html",
        user,
        automations=found,
        latest=latest,
        triggers=dict(TRIGGERS),
    )


@router.get("/new", response_class=HTMLResponse, name="automation_new")
def new_automation(
    request: Request, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> HTMLResponse:
    """The builder for a new rule."""
    return _builder(request, user, session, runtime, None, values_of(None), {})


@router.post("", dependencies=[Csrf], name="automation_create")
def create_automation(
    request: Request, user: CurrentUser, session: SessionDep, runtime: RuntimeDep, form: Posted
) -> Response:
    """Create a rule (enabled)."""
    data, rows = automation_data(form)
    try:
        created = automations.create_automation(
            session,
            user.principal(),
            data=parse_form(AutomationCreate, data, required=["name"]),
        )
    except Invalid as exc:
        session.rollback()
        return _invalid(request, user, session, runtime, None, form, exc, rows)
    flash(request, f"The automation “{created.name}” is created and enabled.")
    return redirect(request, "automations")


@router.get("/{automation_id}", response_class=HTMLResponse, name="automation_edit")
def edit_automation(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    automation_id: AutomationId,
) -> HTMLResponse:
    """The builder for an existing rule."""
    found = automations.get_automation(session, user.principal(), automation_id)
    return _builder(request, user, session, runtime, found, values_of(found), {})


@router.post("/{automation_id}", dependencies=[Csrf], name="automation_update")
def update_automation(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    automation_id: AutomationId,
    form: Posted,
) -> Response:
    """Save a rule."""
    principal = user.principal()
    found = automations.get_automation(session, principal, automation_id)
    data, rows = automation_data(form)
    data.setdefault("description", None)
    try:
        parsed = parse_form(AutomationUpdate, data, required=["name"])
        if not parsed.actions:
            raise Invalid({"actions": ["Add at least one action."]})
        changed = automations.update_automation(session, principal, automation_id, data=parsed)
    except Invalid as exc:
        session.rollback()
        return _invalid(request, user, session, runtime, found, form, exc, rows)
    flash(request, f"The automation “{changed.name}” is saved.")
    return redirect(request, "automations")


@router.post("/{automation_id}/toggle", dependencies=[Csrf], name="automation_toggle")
def toggle_automation(
    request: Request, user: CurrentUser, session: SessionDep, automation_id: AutomationId
) -> Response:
    """Enable a disabled rule, or disable an enabled one."""
    principal = user.principal()
    found = automations.get_automation(session, principal, automation_id)
    changed = automations.update_automation(
        session,
        principal,
        automation_id,
        data=parse(AutomationUpdate, {"is_active": not found.is_active}),
    )
    state = "enabled" if changed.is_active else "disabled"
    flash(request, f"The automation “{changed.name}” is {state}.")
    return redirect(request, "automations")


@router.post("/{automation_id}/delete", dependencies=[Csrf], name="automation_delete")
def delete_automation(
    request: Request, user: CurrentUser, session: SessionDep, automation_id: AutomationId
) -> Response:
    """Delete a rule and its runs."""
    principal = user.principal()
    found = automations.get_automation(session, principal, automation_id)
    automations.delete_automation(session, principal, automation_id)
    flash(request, f"The automation “{found.name}” is deleted.")
    return redirect(request, "automations")


@router.get("/{automation_id}/runs", response_class=HTMLResponse, name="automation_runs")
def list_runs(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    automation_id: AutomationId,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """An automation's runs, newest first, with their steps and outcome."""
    principal = user.principal()
    found = automations.get_automation(session, principal, automation_id)
    runs = automation_runs.list_runs(
        session, principal, automation_id, page=PageRequest(page_number, RUNS_PER_PAGE)
    )
    return page(
        request,
        "automations/runs.html",
        user,
        automation=found,
        runs=runs,
        actions=found.actions,
    )


# -- helpers --------------------------------------------------------------------------------


def _invalid(
    request: Request,
    user: Membership,
    session: Session,
    runtime: RuntimeDep,
    found: AutomationRead | None,
    form: Posted,
    exc: Invalid,
    rows: RowMap,
) -> HTMLResponse:
    errors = row_errors(exc.fields, rows)
    values = posted_values(form)
    return _builder(request, user, session, runtime, found, values, errors, status=422)


def _builder(
    request: Request,
    user: Membership,
    session: Session,
    runtime: RuntimeDep,
    found: AutomationRead | None,
    values: dict[str, Any],
    errors: dict[str, Any],
    *,
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "automations/edit.html",
        user,
        status=status,
        automation=found,
        values=values,
        errors=errors or row_errors({}),
        choices=_choices(session, user, runtime),
    )


def _choices(session: Session, user: Membership, runtime: RuntimeDep) -> dict[str, Any]:
    """What the builder's selects offer: triggers, operators, actions and the workspace's
    stages, users, integrations and forms."""
    principal = user.principal()
    most = PageRequest(1, MAX_PER_PAGE)
    stages = [
        (stage.id, f"{pipeline.name} → {stage.name}")
        for pipeline in pipelines.list_pipelines(session, principal, page=most).items
        for stage in pipeline.stages
    ]
    people = [
        (one.id, f"{one.name} ({one.email})")
        for one in users.list_users(session, principal, page=most).items
        if one.is_active
    ]
    connected = integrations.list_integrations(
        session, principal, page=most, secret_box=runtime.secret_box
    ).items
    return {
        "triggers": TRIGGERS,
        "operators": OPERATORS,
        "actions": ACTIONS,
        "stages": stages,
        "users": people,
        "integrations": [(one.id, f"{one.name} ({one.type})") for one in connected],
        "forms": [
            (one.id, one.name) for one in forms.list_forms(session, principal, page=most).items
        ],
    }
