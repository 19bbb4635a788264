"""Every form and submission query."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Form, FormSubmission


class FormRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Form], int]:
        return self.page_of(self.select(Form).order_by(Form.id), page)

    def submissions_page(self, form_id: int, page: PageRequest) -> tuple[list[FormSubmission], int]:
        statement = (
            self.select(FormSubmission)
            .where(FormSubmission.form_id == form_id)
            .order_by(FormSubmission.created_at.desc(), FormSubmission.id.desc())
        )
        return self.page_of(statement, page)

    def submission_counts(self, form_ids: Sequence[int]) -> dict[int, int]:
        if not form_ids:
            return {}
        statement = (
            self.select_columns(FormSubmission, FormSubmission.form_id, func.count())
            .where(FormSubmission.form_id.in_(form_ids))
            .group_by(FormSubmission.form_id)
        )
        return {form_id: int(count) for form_id, count in self.session.execute(statement)}
