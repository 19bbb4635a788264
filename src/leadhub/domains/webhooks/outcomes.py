"""Reactions to how deliveries of an event type end, for domains that wait on their receivers.

A delivery settles once: it succeeded (with the receiver's JSON answer, when it gave one) or
failed for good after its last attempt. The publisher of posts, for one, records the
`published_url` a receiver answers to `post.published`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from leadhub.domains.jobs.registry import JobContext
from leadhub.models import WebhookDelivery

# (context, the settled delivery, the receiver's JSON object or None)
Listener = Callable[[JobContext, WebhookDelivery, dict[str, Any] | None], None]
_LISTENERS: dict[str, Listener] = {}
log = logging.getLogger("leadhub.webhooks")


def on_settled(event: str) -> Callable[[Listener], Listener]:
    """Register the reaction to every settled delivery of this event type."""

    def register(function: Listener) -> Listener:
        if event in _LISTENERS and _LISTENERS[event] is not function:
            raise ValueError(f"a listener for {event!r} is already registered")
        _LISTENERS[event] = function
        return function

    return register


def settle(context: JobContext, delivery: WebhookDelivery, answer: dict[str, Any] | None) -> None:
    """Tell the event's listener how the delivery ended.

    It runs in a savepoint: a listener's error is logged and undone, never retried as a delivery
    failure, since retrying would send the event to the receiver a second time.
    """
    listener = _LISTENERS.get(delivery.event)
    if listener is None or delivery.status == "pending":
        return
    try:
        with context.session.begin_nested():
            listener(context, delivery, answer)
    except Exception:
        log.exception(
            "the listener of %s deliveries failed on delivery %s", delivery.event, delivery.id
        )
