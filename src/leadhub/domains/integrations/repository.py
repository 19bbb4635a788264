"""Every integration query."""

from __future__ import annotations

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Automation, Integration


class IntegrationRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Integration], int]:
        return self.page_of(self.select(Integration).order_by(Integration.id), page)

    def automations_using(self, integration_id: int) -> list[int]:
        """The ids of the automations with an action that names this integration."""
        statement = self.select_columns(Automation, Automation.id, Automation.actions).order_by(
            Automation.id
        )
        return [
            automation_id
            for automation_id, actions in self.session.execute(statement)
            if any(
                isinstance(action, dict) and action.get("integration_id") == integration_id
                for action in actions or []
            )
        ]
