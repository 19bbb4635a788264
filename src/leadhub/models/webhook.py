from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, SetUpThroughGrant, Timestamps, WorkspaceOwned
from leadhub.kit.clock import utcnow


class Webhook(SetUpThroughGrant, WorkspaceOwned, Timestamps, Base):
    """An outbound webhook: lead events POSTed, signed with its secret (encrypted at rest)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A Fernet token of the signing secret (leadhub.kit.crypto.SecretBox, as integrations use).
    secret_encrypted: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)


class WebhookDelivery(WorkspaceOwned, Base):
    """One delivery of one event to one webhook, with its outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_hook_created", "webhook_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    # No foreign key: events outlive their leads, deliveries outlive nothing they name.
    # None for a workspace event (post.published, …), which is not a recorded lead event.
    event_id: Mapped[int | None]
    event: Mapped[str] = mapped_column(String(40))
    request_body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    response_status: Mapped[int | None]
    response_time_ms: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
