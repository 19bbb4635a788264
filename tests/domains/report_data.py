"""Leads and submissions placed on chosen days, for the report and dashboard tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import FormCreate, FormField, SubmissionMeta
from leadhub.models import FormSubmission, Lead
from tests.factories import Workspace, make_lead

NOON = time(12, 0)


def at(day: date, moment: time = NOON) -> datetime:
    return datetime.combine(day, moment, tzinfo=UTC)


def lead_on(db: Database, workspace: Workspace, day: date, **fields: Any) -> int:
    """A lead created (as the database says) on `day` at noon UTC unless `moment` is given."""
    moment = fields.pop("moment", NOON)
    lead_id = make_lead(db, workspace, **fields)
    with db.unit_of_work() as session:
        session.execute(update(Lead).where(Lead.id == lead_id).values(created_at=at(day, moment)))
    return lead_id


def make_form(db: Database, workspace: Workspace, name: str) -> int:
    data = FormCreate(name=name, fields=[FormField(name="email", type="email")])
    with db.unit_of_work() as session:
        return forms.create_form(session, workspace.principal(), data=data).id


def submit_on(db: Database, workspace: Workspace, form_id: int, day: date, email: str) -> None:
    """A submission of the form on `day`; a new email makes a lead on that day too, a known
    one makes it a duplicate."""
    with db.unit_of_work() as session:
        record = forms.submit(
            session, workspace.principal(), form_id, values={"email": email}, meta=SubmissionMeta()
        )
        moved = update(FormSubmission).where(FormSubmission.id == record.id)
        session.execute(moved.values(created_at=at(day)))
        if not record.is_duplicate:
            created = update(Lead).where(Lead.id == record.lead_id)
            session.execute(created.values(created_at=at(day)))
