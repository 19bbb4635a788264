"""Webhooks react to lead events: one delivery per matching webhook, each sent by its own job.
Workspace events (post.published, …) start their deliveries with `service.deliver_event`; both
are sent by the same job, and its outcome is told to the event's listener (`outcomes`)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from sqlalchemy.orm import Session

from leadhub.domains.events.subscribers import subscriber
from leadhub.domains.jobs.registry import JobContext, PermanentFailure, handler
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.webhooks import outcomes
from leadhub.domains.webhooks import service as webhooks
from leadhub.domains.webhooks.repository import WebhookRepository
from leadhub.kit.clock import utcnow
from leadhub.kit.net import TargetRefused, check_target, guarded_client
from leadhub.kit.signing import SIGNATURE_HEADER, signature
from leadhub.models import Job, LeadEvent, Webhook, WebhookDelivery

TIMEOUT_SECONDS = 10.0
USER_AGENT = "LeadHub-Webhooks/1"
MAX_ERROR = 1000
# A receiver's JSON answer is read only up to this size.
MAX_ANSWER = 64 * 1024
SWITCHED_OFF = "Not sent: the webhook was switched off before this delivery went out."


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx: the job retries with backoff."""


def _listens(session: Session, workspace_id: int, event_type: str) -> bool:
    wanted = WebhookRepository(session, workspace_id).active_events()
    return any(webhooks.wants_event(events, event_type) for events in wanted)


@subscriber("webhooks", listens=_listens)
def on_event(context: JobContext, event: LeadEvent) -> None:
    """A pending delivery (and its job) for each active webhook that wants this event."""
    repo = WebhookRepository(context.session, event.workspace_id)
    hooks = [hook for hook in repo.active() if webhooks.wants(hook, event.type)]
    if not hooks:
        return
    body = event_body(context, event)
    for hook in hooks:
        webhooks.start_delivery(repo, hook, event.id, event.type, body)


def event_body(context: JobContext, event: LeadEvent) -> dict[str, Any]:
    """{"id", "event", "created_at", "data": {"event", "lead"}}; lead is None once deleted."""
    lead_repo = LeadRepository(context.session, event.workspace_id)
    lead = lead_repo.get_lead(event.lead_id)
    lead_data = None
    if lead is not None:
        tags = lead_repo.tag_names([lead.id]).get(lead.id, [])
        lead_data = leads.to_read(lead, tags).model_dump(mode="json")
    return {
        "id": event.id,
        "event": event.type,
        "created_at": event.created_at.isoformat(),
        "data": {
            "event": {
                "id": event.id,
                "type": event.type,
                "lead_id": event.lead_id,
                "changes": event.changes,
                "data": event.data,
                "actor_type": event.actor_type,
                "actor_id": event.actor_id,
            },
            "lead": lead_data,
        },
    }


@handler(webhooks.DELIVER_KIND)
def deliver(context: JobContext, payload: dict[str, Any]) -> None:
    """POST the delivery's body; a non-2xx answer or a network error is retried with backoff."""
    delivery = context.session.get(WebhookDelivery, int(payload["delivery_id"]))
    if delivery is None or delivery.status != "pending":
        return
    hook = context.session.get(Webhook, delivery.webhook_id)
    if hook is None:
        return
    answer: dict[str, Any] | None = None
    if not hook.is_active:  # switched off (or paused with a revoked grant) since it was queued
        _failed(delivery, SWITCHED_OFF)
    else:
        delivery.attempts = context.attempt
        try:
            answer = _send(context, hook, delivery)
        except PermanentFailure as exc:
            _failed(delivery, str(exc))
        except Exception as exc:
            if context.attempt < _max_attempts(context):
                raise
            _failed(delivery, delivery.error or f"{type(exc).__name__}: {exc}")
    context.session.flush()
    outcomes.settle(context, delivery, answer)


def _send(context: JobContext, hook: Webhook, delivery: WebhookDelivery) -> dict[str, Any] | None:
    """POST the delivery; the receiver's answer when it is a JSON object."""
    secret = webhooks.read_secret(hook, context.secret_box)
    if secret is None:
        raise PermanentFailure("The webhook's secret cannot be read; set it again.")
    try:
        check_target(hook.url, allow_private=context.allow_private_targets)
    except TargetRefused as exc:
        raise PermanentFailure(str(exc)) from exc
    body = json.dumps(delivery.request_body, separators=(",", ":")).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-LeadHub-Event": delivery.event,
        "X-LeadHub-Delivery": str(delivery.id),
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
    }
    started = time.monotonic()
    try:
        with guarded_client(
            allow_private=context.allow_private_targets, timeout=TIMEOUT_SECONDS
        ) as client:
            response = client.post(hook.url, content=body, headers=headers)
    except TargetRefused as exc:
        raise PermanentFailure(str(exc)) from exc
    except httpx.HTTPError as exc:
        delivery.error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        raise DeliveryFailed(delivery.error) from exc
    delivery.response_time_ms = int((time.monotonic() - started) * 1000)
    delivery.response_status = response.status_code
    if not response.is_success:
        delivery.error = f"The receiver answered {response.status_code}."
        raise DeliveryFailed(delivery.error)
    delivery.status = "succeeded"
    delivery.error = None
    delivery.delivered_at = utcnow()
    return _json_answer(response)


def _json_answer(response: httpx.Response) -> dict[str, Any] | None:
    """The answer's JSON object (`{"published_url": …}` for post.published), or None."""
    if "json" not in response.headers.get("content-type", "") or len(response.content) > MAX_ANSWER:
        return None
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _failed(delivery: WebhookDelivery, error: str) -> None:
    delivery.status = "failed"
    delivery.error = error[:MAX_ERROR]


def _max_attempts(context: JobContext) -> int:
    job = context.session.get(Job, context.job_id)
    return job.max_attempts if job is not None else webhooks.DELIVERY_ATTEMPTS
