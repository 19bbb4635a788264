"""Every report query: aggregates with GROUP BY, scoped to one workspace.

Dates are grouped by day with `date()`, which SQLite and PostgreSQL both know (SQLite answers a
string, PostgreSQL a date); weeks and months are added up from the days in Python, because the
two databases have no week or month function in common.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func

from leadhub.db.scoped import ScopedRepository
from leadhub.models import Form, FormSubmission, Lead, Pipeline, PipelineStage


class ReportRepository(ScopedRepository):
    def _created(self, start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
        return Lead.created_at >= start, Lead.created_at < end

    def new_leads_by_day_and_source(
        self, start: datetime, end: datetime
    ) -> list[tuple[date, str, int]]:
        day = func.date(Lead.created_at)
        statement = (
            self.select_columns(Lead, day, Lead.source, func.count())
            .where(*self._created(start, end))
            .group_by(day, Lead.source)
        )
        return [
            (_as_date(d), str(source), int(n)) for d, source, n in self.session.execute(statement)
        ]

    def count_new_leads(self, start: datetime, end: datetime) -> int:
        statement = self.select_columns(Lead, func.count()).where(*self._created(start, end))
        return int(self.session.scalar(statement) or 0)

    def new_leads_by_status(self, start: datetime, end: datetime) -> list[tuple[str, int]]:
        count = func.count()
        statement = (
            self.select_columns(Lead, Lead.status, count)
            .where(*self._created(start, end))
            .group_by(Lead.status)
            .order_by(count.desc(), Lead.status)
        )
        return [(str(status), int(n)) for status, n in self.session.execute(statement)]

    def new_leads_by_stage(
        self, pipeline_id: int, start: datetime, end: datetime
    ) -> dict[int, tuple[int, Decimal]]:
        statement = (
            self.select_columns(Lead, Lead.pipeline_stage_id, func.count(), func.sum(Lead.value))
            .where(Lead.pipeline_id == pipeline_id, *self._created(start, end))
            .group_by(Lead.pipeline_stage_id)
        )
        return {
            stage_id: (int(n), Decimal(total or 0))
            for stage_id, n, total in self.session.execute(statement)
            if stage_id is not None
        }

    def count_won(self, start: datetime, end: datetime) -> int:
        statement = (
            self.select_columns(Lead, func.count())
            .select_from(Lead)
            .join(PipelineStage, PipelineStage.id == Lead.pipeline_stage_id)
            .where(PipelineStage.kind == "won", *self._created(start, end))
        )
        return int(self.session.scalar(statement) or 0)

    def pipelines(self) -> list[Pipeline]:
        statement = self.select(Pipeline).order_by(Pipeline.is_default.desc(), Pipeline.id)
        return list(self.session.scalars(statement))

    def stages(self, pipeline_id: int) -> list[PipelineStage]:
        statement = (
            self.select(PipelineStage)
            .where(PipelineStage.pipeline_id == pipeline_id)
            .order_by(PipelineStage.position, PipelineStage.id)
        )
        return list(self.session.scalars(statement))

    def submissions_by_form(
        self, start: datetime, end: datetime, limit: int
    ) -> list[tuple[int, str, int, int]]:
        count = func.count(FormSubmission.id)
        new = func.sum(case((FormSubmission.is_duplicate.is_(False), 1), else_=0))
        statement = (
            self.select_columns(FormSubmission, Form.id, Form.name, count, new)
            .select_from(FormSubmission)
            .join(Form, Form.id == FormSubmission.form_id)
            .where(
                Form.workspace_id == self.workspace_id,
                FormSubmission.created_at >= start,
                FormSubmission.created_at < end,
            )
            .group_by(Form.id, Form.name)
            .order_by(count.desc(), Form.name, Form.id)
            .limit(limit)
        )
        return [
            (int(form_id), str(name), int(n), int(fresh or 0))
            for form_id, name, n, fresh in self.session.execute(statement)
        ]

    def count_submissions(self, start: datetime, end: datetime) -> int:
        statement = self.select_columns(FormSubmission, func.count()).where(
            FormSubmission.created_at >= start, FormSubmission.created_at < end
        )
        return int(self.session.scalar(statement) or 0)


def _as_date(value: Any) -> date:
    """SQLite's date() answers 'YYYY-MM-DD'; PostgreSQL's answers a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
