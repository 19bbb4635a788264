"""Who reacts to lead events (automations, webhooks): called by the dispatch job, never inline.

Each subscriber also says whether anything of a workspace listens for an event type (an active
automation it triggers, an active webhook that wants it), so an event nobody listens for costs no
job: recording it is the whole of its work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from leadhub.domains.jobs.registry import JobContext
from leadhub.models import LeadEvent

React = Callable[[JobContext, LeadEvent], None]
# (session, workspace id, event type) -> whether the subscriber would react to such an event.
Listens = Callable[[Session, int, str], bool]


@dataclass(frozen=True)
class Subscriber:
    react: React
    listens: Listens


_SUBSCRIBERS: dict[str, Subscriber] = {}


def subscriber(name: str, *, listens: Listens) -> Callable[[React], React]:
    """Register a reaction to every recorded lead event, and who it listens for."""

    def register(function: React) -> React:
        _SUBSCRIBERS[name] = Subscriber(function, listens)
        return function

    return register


def all_subscribers() -> list[tuple[str, React]]:
    return [(name, found.react) for name, found in sorted(_SUBSCRIBERS.items())]


def anyone_listens(session: Session, workspace_id: int, event_type: str) -> bool:
    """Whether any subscriber would react to this event of this workspace."""
    # The subscribers register when their modules are imported; a process that records events
    # without having imported them (a command, a script) must not conclude that none listens.
    import leadhub.domains.tasks  # noqa: F401

    return any(found.listens(session, workspace_id, event_type) for found in _SUBSCRIBERS.values())
