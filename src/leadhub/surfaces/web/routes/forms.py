"""Forms: the list, the builder, a form's page (preview, link, embed codes) and its submissions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import FormCreate, FormRead, FormUpdate
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.links import form_links
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.routes import form_builder as builder
from leadhub.surfaces.web.routes.pipelines import all_pipelines
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash
from leadhub.surfaces.web.validation import parse

router = APIRouter()

FormId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 25
_SETTINGS = (
    "name",
    "description",
    "default_stage",
    "tags",
    "source",
    "submit_label",
    "success_message",
    "redirect_url",
)


async def _posted(request: Request) -> dict[str, str]:
    """The builder's inputs (their names vary with the rows, so they are read as a whole)."""
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


@router.get("/forms", response_class=HTMLResponse, name="forms")
def list_forms(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The workspace's forms."""
    found = forms.list_forms(session, user.principal(), page=PageRequest(page_number, PER_PAGE))
    base = runtime.settings.effective_base_url
    links = {form.id: form_links(base, form.id)["public_url"] for form in found.items}
    return page(request, "forms/index.html", user, title="Forms", forms=found, links=links)


@router.get("/forms/new", response_class=HTMLResponse, name="form_new")
def new_form(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    """An empty form builder."""
    values = {"source": "form", "submit_label": "Submit", "is_active": True}
    return _builder(request, user, session, None, builder.starter_rows(), values)


@router.post("/forms/new", dependencies=[Csrf], name="form_create")
def create_form(
    request: Request, user: CurrentUser, session: SessionDep, posted: Posted
) -> Response:
    """Save a new form."""
    rows, values = builder.rows_from(posted), _values_from(posted)
    if action := posted.get("builder"):
        return _builder(request, user, session, None, builder.rearrange(rows, action), values)
    fields, row_numbers = builder.fields_data(rows)
    try:
        data = parse(FormCreate, {**_settings(values), "fields": fields})
        created = forms.create_form(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        errors = _errors(rows, row_numbers, exc)
        return _builder(request, user, session, None, rows, values, errors)
    flash(request, f"Form “{created.name}” created.")
    return redirect(request, "form_detail", form_id=created.id)


@router.get("/forms/{form_id}", response_class=HTMLResponse, name="form_detail")
def form_detail(
    request: Request, user: CurrentUser, session: SessionDep, runtime: RuntimeDep, form_id: FormId
) -> HTMLResponse:
    """A form: its settings, a live preview, its public link and embed codes."""
    form = forms.get_form(session, user.principal(), form_id)
    return page(
        request,
        "forms/detail.html",
        user,
        title=form.name,
        form=form,
        links=form_links(runtime.settings.effective_base_url, form.id),
        destination=_destination(session, user, form),
    )


@router.get("/forms/{form_id}/edit", response_class=HTMLResponse, name="form_edit")
def edit_form(
    request: Request, user: CurrentUser, session: SessionDep, form_id: FormId
) -> HTMLResponse:
    """The builder for a saved form."""
    form = forms.get_form(session, user.principal(), form_id)
    return _builder(request, user, session, form, builder.rows_of(form), _values_of(form))


@router.post("/forms/{form_id}/edit", dependencies=[Csrf], name="form_update")
def update_form(
    request: Request, user: CurrentUser, session: SessionDep, form_id: FormId, posted: Posted
) -> Response:
    """Save the builder's changes to a form."""
    principal = user.principal()
    form = forms.get_form(session, principal, form_id)
    rows, values = builder.rows_from(posted), _values_from(posted)
    if action := posted.get("builder"):
        return _builder(request, user, session, form, builder.rearrange(rows, action), values)
    fields, row_numbers = builder.fields_data(rows)
    try:
        data = parse(FormUpdate, {**_settings(values), "fields": fields})
        forms.update_form(session, principal, form_id, data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        errors = _errors(rows, row_numbers, exc)
        return _builder(request, user, session, form, rows, values, errors)
    flash(request, "Form saved.")
    return redirect(request, "form_detail", form_id=form_id)


@router.post("/forms/{form_id}/delete", dependencies=[Csrf], name="form_delete")
def delete_form(
    request: Request, user: CurrentUser, session: SessionDep, form_id: FormId
) -> Response:
    """Delete a form and its stored submissions (the leads stay)."""
    form = forms.get_form(session, user.principal(), form_id)
    forms.delete_form(session, user.principal(), form_id)
    flash(request, f"Form “{form.name}” deleted. Its leads are kept.")
    return redirect(request, "forms")


@router.get("/forms/{form_id}/submissions", response_class=HTMLResponse, name="form_submissions")
def form_submissions(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    form_id: FormId,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """A form's submissions, newest first."""
    principal = user.principal()
    form = forms.get_form(session, principal, form_id)
    found = forms.list_submissions(
        session, principal, form_id, page=PageRequest(page_number, PER_PAGE)
    )
    return page(
        request,
        "forms/submissions.html",
        user,
        title=f"{form.name}: submissions",
        form=form,
        submissions=found,
    )


# -- helpers --------------------------------------------------------------------------------


def _builder(
    request: Request,
    user: CurrentUser,
    session: Session,
    form: FormRead | None,
    rows: list[builder.Row],
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    return page(
        request,
        "forms/builder.html",
        user,
        status=422 if errors or any(row.errors for row in rows) else 200,
        title=f"Edit {form.name}" if form else "New form",
        form=form,
        rows=rows,
        values=values,
        errors=errors or {},
        pipelines=all_pipelines(session, user),
        field_types=builder.FIELD_TYPES,
        target_groups=builder.TARGET_GROUPS,
    )


def _values_from(posted: dict[str, str]) -> dict[str, Any]:
    """The settings as typed, to show them again."""
    values: dict[str, Any] = {name: posted.get(name, "") for name in _SETTINGS}
    values["is_active"] = "is_active" in posted
    return values


def _values_of(form: FormRead) -> dict[str, Any]:
    stage = (
        f"stage:{form.pipeline_stage_id}"
        if form.pipeline_stage_id
        else (f"pipeline:{form.pipeline_id}" if form.pipeline_id else "")
    )
    return {
        "name": form.name,
        "description": form.description or "",
        "default_stage": stage,
        "tags": ", ".join(form.tags),
        "source": form.source,
        "submit_label": form.submit_label,
        "success_message": form.success_message or "",
        "redirect_url": form.redirect_url or "",
        "is_active": form.is_active,
    }


def _settings(values: dict[str, Any]) -> dict[str, Any]:
    """The service's input from the settings as typed."""
    kind, _, ident = str(values["default_stage"]).partition(":")
    number = int(ident) if ident.isascii() and ident.isdigit() and len(ident) < 11 else None
    return {
        "name": values["name"].strip(),
        "description": values["description"],
        "pipeline_id": number if kind == "pipeline" else None,
        "pipeline_stage_id": number if kind == "stage" else None,
        "tags": builder.split_list(values["tags"]),
        "source": values["source"].strip() or None,
        "submit_label": values["submit_label"].strip() or None,
        "success_message": values["success_message"],
        "redirect_url": values["redirect_url"].strip() or None,
        "is_active": values["is_active"],
    }


def _errors(rows: list[builder.Row], row_numbers: list[int], exc: Invalid) -> dict[str, list[str]]:
    errors = builder.place_errors(rows, row_numbers, exc.fields)
    if not row_numbers and "fields" in errors:
        errors["fields"] = ["Add at least one field."]
    return errors


def _destination(session: Session, user: CurrentUser, form: FormRead) -> str | None:
    """Where the form's new leads start: "Pipeline: Stage", or None for the default."""
    for pipeline in all_pipelines(session, user):
        for stage in pipeline.stages:
            if stage.id == form.pipeline_stage_id:
                return f"{pipeline.name}: {stage.name}"
        if pipeline.id == form.pipeline_id:
            return f"{pipeline.name}: its first stage"
    return None
