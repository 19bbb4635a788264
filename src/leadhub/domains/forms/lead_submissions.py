"""The form submissions that created or updated one lead."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.forms.repository import FormRepository
from leadhub.domains.forms.schemas import SubmissionRead
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Form, FormSubmission


class LeadSubmissionRead(SubmissionRead):
    """A submission with the name of its form, as a lead's page lists it."""

    form_name: str


def list_for_lead(
    session: Session, principal: Principal, lead_id: int, *, page: PageRequest
) -> Page[LeadSubmissionRead]:
    """A lead's form submissions in the workspace, newest first, with their forms' names."""
    repo = FormRepository(session, principal.workspace_id)
    statement = (
        repo.select(FormSubmission)
        .where(FormSubmission.lead_id == lead_id)
        .order_by(FormSubmission.created_at.desc(), FormSubmission.id.desc())
    )
    rows, total = repo.page_of(statement, page)
    names = _form_names(repo, {row.form_id for row in rows})
    items = [
        LeadSubmissionRead(
            id=row.id,
            form_id=row.form_id,
            lead_id=row.lead_id,
            is_duplicate=row.is_duplicate,
            data=row.data,
            attribution=row.attribution,
            created_at=row.created_at,
            form_name=names.get(row.form_id, f"Form #{row.form_id}"),
        )
        for row in rows
    ]
    return Page(items=items, total=total, request=page)


def _form_names(repo: FormRepository, form_ids: set[int]) -> dict[int, str]:
    if not form_ids:
        return {}
    statement = repo.select_columns(Form, Form.id, Form.name).where(Form.id.in_(form_ids))
    return {form_id: name for form_id, name in repo.session.execute(statement)}
