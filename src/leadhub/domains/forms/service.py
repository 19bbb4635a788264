"""Forms: CRUD, and submissions that create or update leads exactly like inbound intake."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import FORM_SUBMITTED, SYSTEM, Actor
from leadhub.domains.forms import submission
from leadhub.domains.forms.repository import FormRepository
from leadhub.domains.forms.schemas import (
    FormCreate,
    FormField,
    FormFields,
    FormRead,
    FormUpdate,
    PublicForm,
    SubmissionMeta,
    SubmissionRead,
)
from leadhub.domains.leads import intake
from leadhub.domains.leads.validation import Errors, clean_tag, normalize_label
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import Page, PageRequest
from leadhub.kit.tokens import constant_time_equal, random_token
from leadhub.models import Form, FormSubmission, Pipeline, PipelineStage


def list_forms(session: Session, principal: Principal, *, page: PageRequest) -> Page[FormRead]:
    """The workspace's forms."""
    repo = FormRepository(session, principal.workspace_id)
    forms, total = repo.page(page)
    return Page(items=_read(repo, forms), total=total, request=page)


def get_form(session: Session, principal: Principal, form_id: int) -> FormRead:
    """One form."""
    repo = FormRepository(session, principal.workspace_id)
    return _read(repo, [_require(repo, form_id)])[0]


def create_form(session: Session, principal: Principal, *, data: FormCreate) -> FormRead:
    """A new form with its fields, mapping and defaults."""
    repo = FormRepository(session, principal.workspace_id)
    form = repo.add(Form(name=data.name.strip(), public_key="fk_" + random_token(18)))
    _apply(repo, form, data)
    session.flush()
    return _read(repo, [form])[0]


def update_form(
    session: Session, principal: Principal, form_id: int, *, data: FormUpdate
) -> FormRead:
    """Change a form; only the fields sent change."""
    repo = FormRepository(session, principal.workspace_id)
    form = _require(repo, form_id)
    _apply(repo, form, data)
    session.flush()
    return _read(repo, [form])[0]


def delete_form(session: Session, principal: Principal, form_id: int) -> None:
    """Delete a form and its stored submissions; its leads stay."""
    repo = FormRepository(session, principal.workspace_id)
    session.delete(_require(repo, form_id))
    session.flush()


def list_submissions(
    session: Session, principal: Principal, form_id: int, *, page: PageRequest
) -> Page[SubmissionRead]:
    """A form's submissions, newest first."""
    repo = FormRepository(session, principal.workspace_id)
    rows, total = repo.submissions_page(_require(repo, form_id).id, page)
    return Page(items=[_read_submission(row) for row in rows], total=total, request=page)


def submit(
    session: Session,
    principal: Principal,
    form_id: int,
    *,
    values: Mapping[str, Any],
    meta: SubmissionMeta,
) -> SubmissionRead:
    """Record a submission through the API (a key, or the form's public key)."""
    repo = FormRepository(session, principal.workspace_id)
    form = _require(repo, form_id)
    return _record(session, form, values=values, meta=meta, actor=Actor.of(principal))


def public_form(session: Session, form_id: int, *, public_key: str | None = None) -> PublicForm:
    """An active form as a public page shows it (any workspace's: public by design)."""
    form = _active(session, form_id, public_key)
    return PublicForm(
        id=form.id,
        public_key=form.public_key,
        name=form.name,
        description=form.description,
        fields=_fields(form),
        submit_label=form.submit_label,
        success_message=form.success_message,
        redirect_url=form.redirect_url,
    )


def public_form_workspace(session: Session, form_id: int, *, public_key: str) -> int:
    """The workspace of the active form this public key opens (NotFound otherwise)."""
    return _active(session, form_id, public_key).workspace_id


def record_public(
    session: Session,
    form_id: int,
    *,
    values: Mapping[str, Any],
    meta: SubmissionMeta,
    public_key: str | None = None,
) -> SubmissionRead:
    """A submission from a public page, or from a browser holding the form's public key."""
    return _record(session, _active(session, form_id, public_key), values=values, meta=meta)


def _active(session: Session, form_id: int, public_key: str | None) -> Form:
    form = session.get(Form, form_id)
    if form is None or not form.is_active:
        raise NotFound.of("Form")
    if public_key is not None and not constant_time_equal(public_key, form.public_key):
        raise NotFound.of("Form")
    return form


def _fields(form: Form) -> list[FormField]:
    return [FormField.model_validate(field) for field in form.fields]


def _record(
    session: Session,
    form: Form,
    *,
    values: Mapping[str, Any],
    meta: SubmissionMeta,
    actor: Actor = SYSTEM,
) -> SubmissionRead:
    """Validate, capture the lead like inbound intake, and keep the raw submission."""
    fields = _fields(form)
    clean = submission.check_values(fields, values)
    lead = submission.lead_fields(form, fields, clean, meta)
    result = intake.capture(
        session, form.workspace_id, data=lead, default_source=form.source, actor=actor
    )
    row = FormSubmission(
        workspace_id=form.workspace_id,
        form_id=form.id,
        lead_id=result.lead_id,
        is_duplicate=result.is_duplicate,
        data=submission.raw_copy(values),
        attribution=dict(
            lead.attribution.model_dump(exclude_none=True) if lead.attribution else {}
        ),
        ip_address=meta.ip_address,
        user_agent=(meta.user_agent or "")[:500] or None,
    )
    session.add(row)
    session.flush()
    events.record(
        session,
        form.workspace_id,
        result.lead_id,
        FORM_SUBMITTED,
        actor=actor,
        data={
            "form_id": form.id,
            "form_name": form.name,
            "submission_id": row.id,
            "is_duplicate": result.is_duplicate,
        },
    )
    return _read_submission(row)


# -- helpers --------------------------------------------------------------------------------


def _require(repo: FormRepository, form_id: int) -> Form:
    form = repo.get(Form, form_id)
    if form is None:
        raise NotFound.of("Form")
    return form


def _apply(repo: FormRepository, form: Form, data: FormFields) -> None:
    errors = Errors()
    given = data.model_fields_set
    if data.name is not None:
        form.name = data.name.strip()
    if data.fields is not None:
        form.fields = [field.model_dump() for field in data.fields]
    for name in ("description", "success_message", "redirect_url"):
        if name in given:
            setattr(form, name, (getattr(data, name) or "").strip() or None)
    if data.submit_label is not None:
        form.submit_label = data.submit_label.strip()
    if data.is_active is not None:
        form.is_active = data.is_active
    if data.source is not None:
        try:
            form.source = normalize_label(data.source)
        except ValueError as exc:
            errors.add("source", f"The source field {exc}.")
    if "tags" in given:
        try:
            form.tags = [clean_tag(tag) for tag in data.tags or []]
        except Invalid as exc:
            errors.add("tags", exc.fields["tag"][0])
    _apply_pipeline(repo, form, data, errors)
    if errors:
        raise Invalid(errors)


def _apply_pipeline(repo: FormRepository, form: Form, data: FormFields, errors: Errors) -> None:
    # A reference is set only once it is known to exist: an unknown id set on the form would be
    # flushed by the next query (a foreign-key error) before the errors are raised.
    given = data.model_fields_set
    if "pipeline_id" in given:
        if data.pipeline_id is not None and repo.get(Pipeline, data.pipeline_id) is None:
            errors.add("pipeline_id", "The selected pipeline id is invalid.")
        else:
            form.pipeline_id = data.pipeline_id
    if "pipeline_stage_id" in given:
        stage = repo.get(PipelineStage, data.pipeline_stage_id) if data.pipeline_stage_id else None
        if data.pipeline_stage_id is not None and stage is None:
            errors.add("pipeline_stage_id", "The selected pipeline stage id is invalid.")
        elif stage is not None and form.pipeline_id not in (None, stage.pipeline_id):
            errors.add("pipeline_stage_id", "The pipeline stage must belong to the pipeline.")
        else:
            if stage is not None:
                form.pipeline_id = stage.pipeline_id
            form.pipeline_stage_id = data.pipeline_stage_id


def _read(repo: FormRepository, forms: list[Form]) -> list[FormRead]:
    counts = repo.submission_counts([form.id for form in forms])
    return [
        FormRead(
            id=form.id,
            name=form.name,
            description=form.description,
            fields=_fields(form),
            pipeline_id=form.pipeline_id,
            pipeline_stage_id=form.pipeline_stage_id,
            tags=list(form.tags or []),
            source=form.source,
            submit_label=form.submit_label,
            success_message=form.success_message,
            redirect_url=form.redirect_url,
            is_active=form.is_active,
            public_key=form.public_key,
            submissions_count=counts.get(form.id, 0),
            created_at=form.created_at,
            updated_at=form.updated_at,
        )
        for form in forms
    ]


def _read_submission(row: FormSubmission) -> SubmissionRead:
    return SubmissionRead(
        id=row.id,
        form_id=row.form_id,
        lead_id=row.lead_id,
        is_duplicate=row.is_duplicate,
        data=row.data,
        attribution=row.attribution,
        created_at=row.created_at,
    )
