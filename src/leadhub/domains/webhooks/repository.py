"""Every webhook query."""

from __future__ import annotations

from leadhub.db.scoped import ScopedRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Webhook, WebhookDelivery


class WebhookRepository(ScopedRepository):
    def page(self, page: PageRequest) -> tuple[list[Webhook], int]:
        return self.page_of(self.select(Webhook).order_by(Webhook.id), page)

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
