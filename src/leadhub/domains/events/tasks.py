"""The job that hands a recorded event to everything that reacts to events."""

from __future__ import annotations

from typing import Any

from leadhub.domains.events.service import DISPATCH_KIND as DISPATCH
from leadhub.domains.events.subscribers import all_subscribers
from leadhub.domains.jobs.registry import JobContext, handler
from leadhub.models import LeadEvent


@handler(DISPATCH)
def dispatch(context: JobContext, payload: dict[str, Any]) -> None:
    """Give the event to each subscriber (each enqueues its own jobs for slow work)."""
    event = context.session.get(LeadEvent, int(payload["event_id"]))
    if event is None:
        return
    for _name, react in all_subscribers():
        react(context, event)
