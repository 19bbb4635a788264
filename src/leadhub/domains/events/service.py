"""Recording what happens to leads, and reading it back as a lead's timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.events import subscribers
from leadhub.domains.events.schemas import (
    AUTOMATION,
    DEPTH_KEY,
    LEAD_ASSIGNED,
    LEAD_UPDATED,
    STAGE_CHANGED,
    STATUS_CHANGED,
    TAG_ADDED,
    TAG_REMOVED,
    Actor,
    EventRead,
)
from leadhub.domains.jobs import service as jobs
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import LeadEvent

DISPATCH_KIND = "events.dispatch"


def record(
    session: Session,
    workspace_id: int,
    lead_id: int,
    kind: str,
    *,
    actor: Actor,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Record one event of a lead (in the caller's unit of work)."""
    event = ScopedRepository(session, workspace_id).add(
        LeadEvent(
            lead_id=lead_id,
            type=kind,
            changes={
                key: [_plain(old), _plain(new)] for key, (old, new) in (changes or {}).items()
            },
            data={key: _plain(value) for key, value in {**(data or {}), **_depth(actor)}.items()},
            actor_type=actor.kind,
            actor_id=actor.id,
        )
    )
    # Automations and webhooks react after commit, in a job: never inside the request. The
    # event is written now only when that job needs its id; else with the rest, at commit.
    if subscribers.anyone_listens(session, workspace_id, kind):
        session.flush()
        jobs.enqueue(session, DISPATCH_KIND, {"event_id": event.id}, workspace_id=workspace_id)


def record_changes(
    session: Session,
    workspace_id: int,
    lead_id: int,
    *,
    actor: Actor,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
) -> None:
    """`lead_updated` with what changed, and the specific events a change implies."""
    changes = {
        key: (before.get(key), value) for key, value in after.items() if before.get(key) != value
    }
    if not changes:
        return
    record(session, workspace_id, lead_id, LEAD_UPDATED, actor=actor, changes=changes, data=data)
    for field, kind in (
        ("pipeline_stage_id", STAGE_CHANGED),
        ("status", STATUS_CHANGED),
        ("assigned_user_id", LEAD_ASSIGNED),
    ):
        if field in changes:
            specific = {key: changes[key] for key in (field, "pipeline_id") if key in changes}
            record(session, workspace_id, lead_id, kind, actor=actor, changes=specific)


def record_tags(
    session: Session,
    workspace_id: int,
    lead_id: int,
    *,
    actor: Actor,
    before: Iterable[str],
    after: Iterable[str],
) -> None:
    """`tag_added` and `tag_removed` for the difference between two sets of tag names."""
    old = {name.lower(): name for name in before}
    new = {name.lower(): name for name in after}
    for key in sorted(new.keys() - old.keys()):
        record(session, workspace_id, lead_id, TAG_ADDED, actor=actor, data={"tag": new[key]})
    for key in sorted(old.keys() - new.keys()):
        record(session, workspace_id, lead_id, TAG_REMOVED, actor=actor, data={"tag": old[key]})


def timeline(
    session: Session, principal: Principal, lead_id: int, *, page: PageRequest
) -> Page[EventRead]:
    """A lead's events, newest first."""
    repo = ScopedRepository(session, principal.workspace_id)
    statement = (
        repo.select(LeadEvent)
        .where(LeadEvent.lead_id == lead_id)
        .order_by(LeadEvent.created_at.desc(), LeadEvent.id.desc())
    )
    rows, total = repo.page_of(statement, page)
    items = [EventRead.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, total=total, request=page)


def _depth(actor: Actor) -> dict[str, int]:
    """An automation's events carry the depth of its chain, so loops can be cut."""
    return {DEPTH_KEY: actor.depth} if actor.kind == AUTOMATION else {}


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a column value."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
