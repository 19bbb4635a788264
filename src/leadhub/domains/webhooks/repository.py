"""Every webhook query."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Webhook, WebhookDelivery

# Asked for every recorded lead event: built once.
_ACTIVE_EVENTS = select(Webhook.events).where(
    Webhook.workspace_id == bindparam("workspace_id"), Webhook.is_active.is_(True)
)


class WebhookRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Webhook], int]:
        return self.page_of(self.select(Webhook).order_by(Webhook.id), page)

    def active_events(self) -> list[list[str]]:
        """The events each active webhook wants."""
        found = self.session.connection().execute(
            _ACTIVE_EVENTS, {"workspace_id": self.workspace_id}
        )
        return list(found.scalars())

    def active(self) -> list[Webhook]:
        statement = self.select(Webhook).where(Webhook.is_active.is_(True)).order_by(Webhook.id)
        return list(self.session.scalars(statement))

    def deliveries(self, webhook_id: int, page: PageRequest) -> tuple[list[WebhookDelivery], int]:
        statement = (
            self.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        )
        return self.page_of(statement, page)

    def delivery(self, webhook_id: int, delivery_id: int) -> WebhookDelivery | None:
        statement = self.select(WebhookDelivery).where(
            WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.id == delivery_id
        )
        return self.session.scalars(statement).first()
