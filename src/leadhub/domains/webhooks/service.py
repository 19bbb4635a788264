"""Webhooks: a URL that receives lead events (and workspace events such as post.published),
signed with a secret stored encrypted; every delivery is logged and can be sent again. Private
targets are refused unless the node allows them (the edge passes `allow_private` from its
settings)."""

from __future__ import annotations

import secrets as random
from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.jobs import service as jobs
from leadhub.domains.webhooks.repository import WebhookRepository
from leadhub.domains.webhooks.schemas import (
    ALL_EVENTS,
    EVENT_TYPES,
    DeliveryRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
)
from leadhub.errors import Invalid, NotFound
from leadhub.kit.crypto import SecretBox, SecretUnreadable
from leadhub.kit.net import TargetRefused, check_target
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Webhook, WebhookDelivery

DELIVER_KIND = "webhooks.deliver"
DELIVERY_ATTEMPTS = 5
MASK = "••••"


def list_webhooks(
    session: Session, principal: Principal, *, page: PageRequest
) -> Page[WebhookRead]:
    """The workspace's webhooks, secrets masked."""
    repo = WebhookRepository(session, principal.workspace_id)
    rows, total = repo.page(page)
    return Page(items=[_read(row) for row in rows], total=total, request=page)


def get_webhook(session: Session, principal: Principal, webhook_id: int) -> WebhookRead:
    """One webhook, secret masked."""
    return _read(_require(WebhookRepository(session, principal.workspace_id), webhook_id))


def create_webhook(
    session: Session,
    principal: Principal,
    *,
    data: WebhookCreate,
    secret_box: SecretBox,
    allow_private: bool,
) -> WebhookRead:
    """A new webhook; its secret (generated when not given) is answered in full this once."""
    repo = WebhookRepository(session, principal.workspace_id)
    url = _url(data.url, allow_private)
    secret = data.secret or "whsec_" + random.token_hex(24)
    row = repo.add(
        Webhook(
            url=url,
            events=_events(data.events if data.events is not None else [ALL_EVENTS]),
            secret_encrypted=secret_box.encrypt_json(secret),
            description=_description(data.description),
            is_active=True if data.is_active is None else data.is_active,
            agency_grant_id=principal.grant_id,
        )
    )
    session.flush()
    return _read(row, shown_secret=secret)


def update_webhook(
    session: Session,
    principal: Principal,
    webhook_id: int,
    *,
    data: WebhookUpdate,
    secret_box: SecretBox,
    allow_private: bool,
) -> WebhookRead:
    """Change a webhook; a secret left out keeps its value."""
    repo = WebhookRepository(session, principal.workspace_id)
    row = _require(repo, webhook_id)
    if data.url is not None:
        row.url = _url(data.url, allow_private)
    if data.events is not None:
        row.events = _events(data.events)
    if data.secret is not None:
        row.secret_encrypted = secret_box.encrypt_json(data.secret)
    if "description" in data.model_fields_set:
        row.description = _description(data.description)
    if data.is_active is not None:
        row.is_active = data.is_active
    row.agency_grant_id = principal.grant_id
    session.flush()
    return _read(row)


def delete_webhook(session: Session, principal: Principal, webhook_id: int) -> None:
    """Delete a webhook and its delivery log."""
    repo = WebhookRepository(session, principal.workspace_id)
    row = _require(repo, webhook_id)
    repo.session.execute(repo.delete(WebhookDelivery).where(WebhookDelivery.webhook_id == row.id))
    session.delete(row)
    session.flush()


def list_deliveries(
    session: Session, principal: Principal, webhook_id: int, *, page: PageRequest
) -> Page[DeliveryRead]:
    """A webhook's deliveries, newest first."""
    repo = WebhookRepository(session, principal.workspace_id)
    _require(repo, webhook_id)
    rows, total = repo.deliveries(webhook_id, page)
    return Page(items=[read_delivery(row) for row in rows], total=total, request=page)


def redeliver(
    session: Session, principal: Principal, webhook_id: int, delivery_id: int
) -> DeliveryRead:
    """Send a delivery's event again, as a new delivery."""
    repo = WebhookRepository(session, principal.workspace_id)
    webhook = _require(repo, webhook_id)
    earlier = repo.delivery(webhook_id, delivery_id)
    if earlier is None:
        raise NotFound.of("Delivery")
    body = dict(earlier.request_body)
    return read_delivery(start_delivery(repo, webhook, earlier.event_id, earlier.event, body))


def deliver_event(
    session: Session, workspace_id: int, event: str, body: dict[str, Any]
) -> list[WebhookDelivery]:
    """Deliver a workspace event (one not about a lead, such as `post.published`) to each active
    webhook subscribed to it or to "*"; answers the pending deliveries (none: nobody listens)."""
    repo = WebhookRepository(session, workspace_id)
    hooks = [hook for hook in repo.active() if wants(hook, event)]
    return [start_delivery(repo, hook, None, event, body) for hook in hooks]


def start_delivery(
    repo: WebhookRepository,
    webhook: Webhook,
    event_id: int | None,
    event: str,
    body: dict[str, Any],
) -> WebhookDelivery:
    """A pending delivery and the job that sends it (after the caller's commit)."""
    delivery = repo.add(
        WebhookDelivery(webhook_id=webhook.id, event_id=event_id, event=event, request_body=body)
    )
    repo.session.flush()
    jobs.enqueue(
        repo.session,
        DELIVER_KIND,
        {"delivery_id": delivery.id},
        workspace_id=repo.workspace_id,
        max_attempts=DELIVERY_ATTEMPTS,
    )
    return delivery


def wants(webhook: Webhook, event: str) -> bool:
    """Whether the webhook subscribes to this event type."""
    return wants_event(webhook.events, event)


def wants_event(events: list[str], event: str) -> bool:
    """Whether a webhook subscribed to `events` wants this event type."""
    return ALL_EVENTS in events or event in events


def read_secret(webhook: Webhook, secret_box: SecretBox) -> str | None:
    """The signing secret, or None when another secret key encrypted it."""
    try:
        return str(secret_box.decrypt_json(webhook.secret_encrypted))
    except SecretUnreadable:
        return None


def read_delivery(row: WebhookDelivery) -> DeliveryRead:
    return DeliveryRead.model_validate(row, from_attributes=True)


# -- helpers --------------------------------------------------------------------------------


def _require(repo: WebhookRepository, webhook_id: int) -> Webhook:
    row = repo.get(Webhook, webhook_id)
    if row is None:
        raise NotFound.of("Webhook")
    return row


def _url(raw: str, allow_private: bool) -> str:
    url = raw.strip()
    if not url:
        raise Invalid.field("url", "The url field is required.")
    try:
        check_target(url, allow_private=allow_private)
    except TargetRefused as exc:
        raise Invalid.field("url", str(exc)) from exc
    return url


def _events(given: list[str]) -> list[str]:
    chosen = [name.strip() for name in given]
    unknown = [name for name in chosen if name != ALL_EVENTS and name not in EVENT_TYPES]
    if unknown:
        known = ", ".join((ALL_EVENTS, *EVENT_TYPES))
        raise Invalid.field("events", f"Unknown event(s) {', '.join(unknown)}; use {known}.")
    if not chosen:
        raise Invalid.field("events", "Choose at least one event.")
    return [ALL_EVENTS] if ALL_EVENTS in chosen else list(dict.fromkeys(chosen))


def _description(raw: str | None) -> str | None:
    return (raw or "").strip() or None


def _read(row: Webhook, *, shown_secret: str | None = None) -> WebhookRead:
    return WebhookRead(
        id=row.id,
        url=row.url,
        events=list(row.events),
        secret=shown_secret or MASK,
        description=row.description,
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
