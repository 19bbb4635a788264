"""Settings → Conversion labels: the outcomes leads are rated with, their value, and the ad
platforms each one is sent to (owners and admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from leadhub.domains.conversions import labels
from leadhub.domains.conversions.schemas import (
    MAX_DESTINATIONS,
    LabelCreate,
    LabelRead,
    LabelUpdate,
)
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import IntegrationRead
from leadhub.errors import Invalid
from leadhub.kit.crypto import SecretBox
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.conversion_support import PLATFORMS, TARGETS
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, settings_page, text
from leadhub.surfaces.web.session import AdminUser, Csrf, flash

router = APIRouter(prefix="/settings/conversion-labels")
LabelId = Annotated[int, Path(ge=1, le=MAX_ID)]
SECTION = "settings_conversion_labels"
PER_PAGE = 50
MOST_INTEGRATIONS = 100
BLANK_ROWS = 2  # empty destination rows offered below the label's own
Row = tuple[str, str]  # a destination row as posted: the integration's id and the target
_CHOOSE = "Choose the integration to send to."
_TARGET = "Enter the event name or conversion action."


@router.get("", response_class=HTMLResponse, name="settings_conversion_labels")
def list_labels(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The workspace's conversion labels and where each one is sent."""
    found = labels.list_labels(session, user.principal(), page=PageRequest(page, PER_PAGE))
    return settings_page(
        request, "settings/conversion_labels.html", user, section=SECTION, labels=found
    )


@router.get("/new", response_class=HTMLResponse, name="settings_conversion_label_new")
def new_label(
    request: Request, user: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> HTMLResponse:
    """The form of a new conversion label."""
    values: dict[str, Any] = {
        "name": "",
        "value": "",
        "currency": "EUR",
        "mark_as_done": True,
        "rows": [],
    }
    return _form(request, user, session, runtime.secret_box, None, values, {})


@router.post("", dependencies=[Csrf], name="settings_conversion_label_create")
def create_label(
    request: Request, user: AdminUser, session: SessionDep, runtime: RuntimeDep, form: Posted
) -> Response:
    """Create a conversion label."""
    values = _values(form)
    try:
        data = _parse(LabelCreate, values)
        created = labels.create_label(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()
        errors = exc.fields
        return _form(request, user, session, runtime.secret_box, None, values, errors, 422)
    flash(request, f"The conversion label “{created.name}” is created.")
    return redirect(request, "settings_conversion_label_edit", label_id=created.id)


@router.get("/{label_id}", response_class=HTMLResponse, name="settings_conversion_label_edit")
def edit_label(
    request: Request, user: AdminUser, session: SessionDep, runtime: RuntimeDep, label_id: LabelId
) -> HTMLResponse:
    """A conversion label's form, with the id LeadTrackr clients send as `conversionId`."""
    label = labels.get_label(session, user.principal(), label_id)
    values: dict[str, Any] = {
        "name": label.name,
        "value": "" if label.value is None else f"{label.value:.2f}",
        "currency": label.currency,
        "mark_as_done": label.mark_as_done,
        "rows": [(str(item.integration_id), item.target) for item in label.destinations],
    }
    return _form(request, user, session, runtime.secret_box, label, values, {})


@router.post("/{label_id}", dependencies=[Csrf], name="settings_conversion_label_update")
def update_label(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    label_id: LabelId,
    form: Posted,
) -> Response:
    """Change a conversion label; conversions already queued keep what they were given."""
    values = _values(form)
    try:
        data = _parse(LabelUpdate, values)
        changed = labels.update_label(session, user.principal(), label_id, data=data)
    except Invalid as exc:
        session.rollback()
        label = labels.get_label(session, user.principal(), label_id)
        errors = exc.fields
        return _form(request, user, session, runtime.secret_box, label, values, errors, 422)
    flash(request, f"The conversion label “{changed.name}” is saved.")
    return redirect(request, "settings_conversion_labels")


@router.post("/{label_id}/delete", dependencies=[Csrf], name="settings_conversion_label_delete")
def delete_label(
    request: Request, user: AdminUser, session: SessionDep, label_id: LabelId
) -> Response:
    """Delete a conversion label; the conversions it named keep its name."""
    label = labels.get_label(session, user.principal(), label_id)
    labels.delete_label(session, user.principal(), label_id)
    flash(request, f"The conversion label “{label.name}” is deleted.")
    return redirect(request, "settings_conversion_labels")


# -- the form ---------------------------------------------------------------------------------


def _values(form: FormData) -> dict[str, Any]:
    """The posted values, as they are shown again when refused; rows left empty are dropped, so
    the rows shown again are numbered as the service numbers its messages."""
    rows = [
        (
            text(form, f"destinations.{index}.integration_id").strip(),
            text(form, f"destinations.{index}.target").strip(),
        )
        for index in range(MAX_DESTINATIONS)
    ]
    return {
        "name": text(form, "name").strip(),
        "value": text(form, "value").strip().replace(",", "."),
        "currency": text(form, "currency").strip().upper(),
        "mark_as_done": text(form, "mark_as_done") == "1",
        "rows": [row for row in rows if row != ("", "")],
    }


def _parse(model: type[LabelCreate] | type[LabelUpdate], values: dict[str, Any]) -> Any:
    """The service's input; a half-filled destination row says what it lacks."""
    rows: list[Row] = values["rows"]
    data = {
        "name": values["name"],
        "value": values["value"] or None,
        "currency": values["currency"] or None,
        "mark_as_done": values["mark_as_done"],
        "destinations": [
            {"integration_id": integration_id or None, "target": target}
            for integration_id, target in rows
        ],
    }
    lacking: dict[str, list[str]] = {}
    for index, (integration_id, target) in enumerate(rows):
        if not integration_id:
            lacking[f"destinations.{index}.integration_id"] = [_CHOOSE]
        if not target:
            lacking[f"destinations.{index}.target"] = [_TARGET]
    try:
        parsed = parse_form(model, data, required=["name"])
    except Invalid as exc:
        raise Invalid({**exc.fields, **lacking}) from exc
    if lacking:
        raise Invalid(lacking)
    return parsed


def _destinations(session: Session, user: AdminUser, box: SecretBox) -> list[IntegrationRead]:
    """The workspace's ad-platform integrations, which labels can send to."""
    found = integrations.list_integrations(
        session, user.principal(), page=PageRequest(1, MOST_INTEGRATIONS), secret_box=box
    )
    return [item for item in found.items if item.type in PLATFORMS]


def _form(
    request: Request,
    user: AdminUser,
    session: Session,
    box: SecretBox,
    label: LabelRead | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
) -> HTMLResponse:
    rows: list[Row] = list(values["rows"])
    shown = min(MAX_DESTINATIONS, max(len(rows) + BLANK_ROWS, 3))
    rows += [("", "")] * (shown - len(rows))
    known = {"name", "value", "currency", "mark_as_done", "destinations"}
    others = [
        message
        for key, messages in errors.items()
        if key not in known and not key.startswith("destinations.")
        for message in messages
    ]
    return settings_page(
        request,
        "settings/conversion_label_form.html",
        user,
        section=SECTION,
        status=status,
        label=label,
        values=values,
        rows=rows,
        errors=errors,
        other_errors=others,
        integrations=_destinations(session, user, box),
        targets=TARGETS,
    )
