"""Who reacts to lead events (automations, webhooks): called by the dispatch job, never inline."""

from __future__ import annotations

from collections.abc import Callable

from leadhub.domains.jobs.registry import JobContext
from leadhub.models import LeadEvent

Subscriber = Callable[[JobContext, LeadEvent], None]
_SUBSCRIBERS: dict[str, Subscriber] = {}


def subscriber(name: str) -> Callable[[Subscriber], Subscriber]:
    """Register a reaction to every recorded lead event."""

    def register(function: Subscriber) -> Subscriber:
        _SUBSCRIBERS[name] = function
        return function

    return register


def all_subscribers() -> list[tuple[str, Subscriber]]:
    return sorted(_SUBSCRIBERS.items())
