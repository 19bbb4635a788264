"""Creating and editing a lead, with the API's validation messages beside the fields."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import (
    CONTACT_FIELDS,
    Attribution,
    LeadCreate,
    LeadRead,
    LeadUpdate,
)
from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.common.messages import field_errors
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.routes.lead_support import (
    ATTRIBUTION_LABELS,
    LeadId,
    PostedForm,
    lead_name,
    load_choices,
)
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter()

TEXT_FIELDS = (
    *CONTACT_FIELDS,
    "source",
    "status",
    "notes",
    "unique_identifier",
)
OTHER_FIELDS = ("lead_score", "value", "pipeline_stage_id", "assigned_user_id", "form_id", "tags")
ATTRIBUTION_FIELDS = tuple(Attribution.model_fields)
# The fields as the form lays them out (the error summary follows it).
PAGE_ORDER = (
    *CONTACT_FIELDS,
    "notes",
    "custom_fields",
    "attribution",
    "source",
    "status",
    "pipeline_stage_id",
    "assigned_user_id",
    "lead_score",
    "value",
    "tags",
    "form_id",
    "unique_identifier",
)
BLANK_ROWS = 3
# Leads typed in by a person; the API's default is "api".
WEB_SOURCE = "manual"
_Schema = TypeVar("_Schema", LeadCreate, LeadUpdate)


@dataclass
class LeadForm:
    """What the form shows: every input's text, the custom field rows, and the messages."""

    values: dict[str, str]
    starred: bool = False
    rows: list[tuple[str, str]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def rows_with_blanks(self) -> list[tuple[str, str]]:
        return self.rows + [("", "")] * BLANK_ROWS


@router.get("/leads/new", response_class=HTMLResponse, name="lead_new")
def new_lead(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    """The form for a new lead."""
    state = LeadForm(values={"source": WEB_SOURCE, "status": "new"})
    return _render(request, user, session, state, lead=None)


@router.post("/leads/new", response_class=HTMLResponse, dependencies=[Csrf], name="lead_create")
def create_lead(
    request: Request, user: CurrentUser, session: SessionDep, form: PostedForm
) -> Response:
    """Create a lead."""
    state = _read(form)
    payload = _payload(state, current=None)
    try:
        lead = _save(
            session,
            LeadCreate,
            payload,
            state,
            lambda data: leads.create(
                session, user.principal(), data=data, default_source=WEB_SOURCE
            ),
        )
    except Invalid as exc:
        session.rollback()
        state.errors = _merge(state.errors, exc.fields)
        return _render(request, user, session, state, lead=None, status=422)
    flash(request, f"Created {lead_name(lead)}.")
    return redirect(request, "lead", lead_id=lead.id)


@router.get("/leads/{lead_id}/edit", response_class=HTMLResponse, name="lead_edit")
def edit_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId
) -> HTMLResponse:
    """The form to change a lead."""
    lead = leads.get(session, user.principal(), lead_id)
    return _render(request, user, session, _from_lead(lead), lead=lead)


@router.post(
    "/leads/{lead_id}/edit", response_class=HTMLResponse, dependencies=[Csrf], name="lead_update"
)
def update_lead(
    request: Request, user: CurrentUser, session: SessionDep, lead_id: LeadId, form: PostedForm
) -> Response:
    """Save the changes to a lead."""
    principal = user.principal()
    lead = leads.get(session, principal, lead_id)
    state = _read(form)
    try:
        lead = _save(
            session,
            LeadUpdate,
            _payload(state, current=lead),
            state,
            lambda data: leads.update(session, principal, lead_id, data=data),
        )
    except Invalid as exc:
        session.rollback()
        state.errors = _merge(state.errors, exc.fields)
        return _render(request, user, session, state, lead=lead, status=422)
    flash(request, f"Saved {lead_name(lead)}.")
    return redirect(request, "lead", lead_id=lead_id)


def _render(
    request: Request,
    user: Membership,
    session: Session,
    state: LeadForm,
    *,
    lead: LeadRead | None,
    status: int = 200,
) -> HTMLResponse:
    choices = load_choices(session, user.principal(), with_forms=True, with_labels=True)
    errors = dict(state.errors)
    # The stage picker sets the pipeline too: its messages belong beside it.
    if "pipeline_id" in errors:
        errors.setdefault("pipeline_stage_id", []).extend(errors.pop("pipeline_id"))
    # In the order of the page, so the summary reads top to bottom.
    errors = dict(sorted(errors.items(), key=lambda item: _position(item[0])))
    return page(
        request,
        "leads/form.html",
        user,
        status=status,
        title=f"Edit {lead_name(lead)}" if lead else "New lead",
        lead=lead,
        form=state,
        errors=errors,
        choices=choices,
        attribution_labels=ATTRIBUTION_LABELS,
        attribution_open=any(name.startswith("attribution.") for name in errors),
    )


def _position(name: str) -> int:
    base = name.split(".", 1)[0]
    return PAGE_ORDER.index(base) if base in PAGE_ORDER else len(PAGE_ORDER)


def _read(form: PostedForm) -> LeadForm:
    """The submitted inputs as text (re-shown as typed when something is wrong)."""
    names = (*TEXT_FIELDS, *OTHER_FIELDS, *(f"attribution.{n}" for n in ATTRIBUTION_FIELDS))
    values = {name: str(form.get(name) or "") for name in names}
    keys, texts = form.getlist("cf_key"), form.getlist("cf_value")
    rows = [
        (str(key).strip(), str(text))
        for key, text in zip(keys, texts, strict=False)
        if str(key).strip() or str(text).strip()
    ]
    return LeadForm(values=values, starred=form.get("starred") == "1", rows=rows)


def _from_lead(lead: LeadRead) -> LeadForm:
    values = {name: getattr(lead, name) or "" for name in TEXT_FIELDS}
    values.update(
        lead_score=str(lead.lead_score),
        value="" if lead.value is None else f"{lead.value:.2f}",
        pipeline_stage_id=str(lead.pipeline_stage_id or ""),
        assigned_user_id=str(lead.assigned_user_id or ""),
        form_id=str(lead.form_id or ""),
        tags=", ".join(lead.tags),
    )
    attribution = lead.attribution.model_dump()
    values.update({f"attribution.{n}": attribution[n] or "" for n in ATTRIBUTION_FIELDS})
    rows = [(key, display(value)) for key, value in lead.custom_fields.items()]
    return LeadForm(values=values, starred=lead.starred, rows=rows)


def _payload(state: LeadForm, *, current: LeadRead | None) -> dict[str, Any]:
    """The service's input: every field, as the API takes it (blank clears, on an edit)."""
    creating = current is None
    data: dict[str, Any] = {name: state.value(name) for name in TEXT_FIELDS}
    if creating:
        data = {name: value for name, value in data.items() if value.strip()}
        data.setdefault("first_name", "")
    for name in ("assigned_user_id", "form_id", "value"):
        data[name] = state.value(name).strip() or None
    if state.value("lead_score").strip():
        data["lead_score"] = state.value("lead_score").strip()
    if state.value("pipeline_stage_id"):
        data["pipeline_stage_id"] = state.value("pipeline_stage_id")
    elif not creating:
        data["pipeline_id"] = data["pipeline_stage_id"] = None
    data["starred"] = state.starred
    data["tags"] = [tag.strip() for tag in state.value("tags").split(",") if tag.strip()]
    data["custom_fields"] = _custom_fields(state, current.custom_fields if current else {})
    data["attribution"] = {name: state.value(f"attribution.{name}") for name in ATTRIBUTION_FIELDS}
    return data


def _custom_fields(state: LeadForm, current: dict[str, Any]) -> dict[str, Any]:
    """The rows as a change to the lead's custom fields.

    A value shown and sent back unchanged keeps its stored type (a number stays a number); a
    row emptied or taken away removes its key. New and changed values are stored as text.
    """
    change: dict[str, Any] = {}
    seen: set[str] = set()
    for key, text in state.rows:
        if not key:
            state.errors.setdefault("custom_fields", []).append("Each custom field needs a name.")
            continue
        if key in seen:
            state.errors.setdefault("custom_fields", []).append(f"“{key}” is used twice.")
        seen.add(key)
        if key in current and display(current[key]) == text:
            continue
        change[key] = text if text.strip() else None
    change.update({key: None for key in current if key not in seen})
    return {key: value for key, value in change.items() if value is not None or key in current}


def _save(
    session: Session,
    schema: type[_Schema],
    payload: dict[str, Any],
    state: LeadForm,
    save: Callable[[_Schema], LeadRead],
) -> LeadRead:
    """Validate and save; Invalid with every message at once (the form's, types, the rules)."""
    errors = dict(state.errors)
    try:
        data: _Schema | None = schema.model_validate(payload)
    except ValidationError as exc:
        errors = _merge(errors, field_errors(exc.errors()))
        data = _without_errors(schema, payload, errors)
    if not errors and data is not None:
        return save(data)
    if data is not None:
        errors = _merge(errors, _rule_errors(session, lambda: save(data)))
    raise Invalid(errors)


def _without_errors(
    schema: type[_Schema], payload: dict[str, Any], errors: dict[str, list[str]]
) -> _Schema | None:
    """The payload without its badly typed fields, to check the other fields' rules too."""
    wrong = {name.split(".", 1)[0] for name in errors}
    try:
        return schema.model_validate({k: v for k, v in payload.items() if k not in wrong})
    except ValidationError:
        return None


def _rule_errors(session: Session, attempt: Callable[[], object]) -> dict[str, list[str]]:
    """The service's messages for input that is wrong anyway: tried in a savepoint, undone."""
    savepoint = session.begin_nested()
    try:
        attempt()
    except Invalid as exc:
        return exc.fields
    finally:
        savepoint.rollback()
    return {}


def _merge(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for name, messages in source.items():
            kept = merged.setdefault(name, [])
            kept.extend(message for message in messages if message not in kept)
    return merged


def display(value: Any) -> str:
    """A custom field's value as its input shows it."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
