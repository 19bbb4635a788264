"""Every import query."""

from __future__ import annotations

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import LeadImport


class ImportRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[LeadImport], int]:
        """Newest first."""
        statement = self.select(LeadImport).order_by(
            LeadImport.created_at.desc(), LeadImport.id.desc()
        )
        return self.page_of(statement, page)

    def get_import(self, import_id: int) -> LeadImport | None:
        return self.get(LeadImport, import_id)

    def lock(self, import_id: int) -> LeadImport | None:
        """The import, locked while a batch's progress is written (one runner at a time)."""
        statement = (
            self.select(LeadImport)
            .where(LeadImport.id == import_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self.session.scalars(statement).first()
