"""Inbound intake: a lead from another tool, merged into the lead it duplicates.

De-duplication is race-free: the unique indexes on (workspace, email) and (workspace, phone)
decide, and an insert that loses a race is rolled back to its savepoint and merged instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import LEAD_CREATED, SYSTEM, Actor
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import InboundLead, IntakeResult, LeadFields
from leadhub.domains.leads.validation import clean
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Forbidden, Invalid
from leadhub.kit.clock import utcnow
from leadhub.models import Lead

# Fields a duplicate may fill when the existing lead has them empty.
_FILLABLE_SKIP = frozenset({"custom_fields", "email", "phone", "unique_event_id"})
# What an event sent again may not change: where the lead stands is the team's business.
_RESEND_KEEPS = frozenset({"status", "source", "pipeline_id", "pipeline_stage_id"})


def intake(
    session: Session, principal: Principal, *, tenant: str, data: InboundLead, default_source: str
) -> IntakeResult:
    """Create the lead, or merge it into the lead with the same email or phone."""
    if tenant.strip().lower() != principal.workspace_slug:
        raise Forbidden("This API key does not belong to the workspace named by tenant.")
    if not data.email.strip():  # a blank email is no email
        raise Invalid.field("email", "The email field is required.")
    return capture(
        session,
        principal.workspace_id,
        data=data,
        default_source=default_source,
        actor=Actor.of(principal),
    )


def capture(
    session: Session,
    workspace_id: int,
    *,
    data: LeadFields,
    default_source: str,
    actor: Actor = SYSTEM,
    default_status: str | None = None,
    unique_event_id: str | None = None,
) -> IntakeResult:
    """Every channel's way in (intake, forms, …): a new lead, or the merge into its duplicate.

    With `unique_event_id` (a browser event's id), the lead that event created is updated
    with what is sent again, instead of merged into.
    """
    repo = LeadRepository(session, workspace_id)
    region = workspaces.default_region(session, workspace_id)
    if unique_event_id and (same_event := repo.find_by_event(unique_event_id)) is not None:
        _resend(session, repo, same_event, data, region, actor)
        return IntakeResult(lead_id=same_event.id, is_duplicate=True)
    # Uniqueness is not an error here: a taken email or phone is the duplicate to merge into.
    values, tags, errors = clean(
        session, repo, data, region=region, current=None, check_unique=False
    )
    if errors:
        raise Invalid(errors)
    values.setdefault("source", default_source)
    if default_status:
        values.setdefault("status", default_status)
    if unique_event_id:
        values["unique_event_id"] = unique_event_id
    existing = repo.find_duplicate(values.get("email"), values.get("phone"))
    if existing is None:
        created = _insert(session, repo, values)
        if created is not None:
            if tags:
                repo.set_tags(created.id, tags)
            events.record(
                session,
                workspace_id,
                created.id,
                LEAD_CREATED,
                actor=actor,
                data={"source": created.source, "tags": tags or []},
            )
            return IntakeResult(lead_id=created.id, is_duplicate=False)
        existing = repo.find_duplicate(values.get("email"), values.get("phone"))
        if existing is None and unique_event_id:  # the same event, sent twice at once
            existing = repo.find_by_event(unique_event_id)
        if existing is None:  # pragma: no cover - the conflicting row vanished meanwhile
            raise Invalid.field("email", "The lead could not be stored; retry the request.")
    _merge(repo, existing, values, tags or [], actor)
    return IntakeResult(lead_id=existing.id, is_duplicate=True)


def _insert(session: Session, repo: LeadRepository, values: dict[str, Any]) -> Lead | None:
    """The new lead, or None when a concurrent request inserted the same person first."""
    try:
        with session.begin_nested():
            lead = repo.add(Lead(**{"custom_fields": {}, **values}))
            session.flush()
    except IntegrityError:
        return None
    return lead


def _merge(
    repo: LeadRepository, lead: Lead, values: dict[str, Any], tags: list[str], actor: Actor
) -> None:
    """Fill the existing lead's empty fields; merge custom fields and tags (first touch wins)."""
    before = {name: getattr(lead, name) for name in values}
    tags_before = repo.tag_names([lead.id]).get(lead.id, [])
    for name, value in values.items():
        if name in _FILLABLE_SKIP or value is None:
            continue
        if getattr(lead, name) in (None, "") or (name == "lead_score" and lead.lead_score == 0):
            setattr(lead, name, value)
    for name in ("email", "phone", "unique_event_id"):
        fills = values.get(name) and not getattr(lead, name)
        if fills and not repo.taken_by_other(getattr(Lead, name), values[name], lead.id):
            setattr(lead, name, values[name])
    incoming = values.get("custom_fields") or {}
    lead.custom_fields = {**incoming, **(lead.custom_fields or {})}
    _finish(repo, lead, tags, before, tags_before, actor, {"merged_duplicate": True})


def _resend(
    session: Session,
    repo: LeadRepository,
    lead: Lead,
    data: LeadFields,
    region: str,
    actor: Actor,
) -> None:
    """The same event sent again: what it now says replaces what it said (tags are added)."""
    values, tags, errors = clean(session, repo, data, region=region, current=lead)
    if errors:
        raise Invalid(errors)
    values = {name: value for name, value in values.items() if name not in _RESEND_KEEPS}
    if "custom_fields" in values:
        values["custom_fields"] = {**(lead.custom_fields or {}), **values["custom_fields"]}
    before = {name: getattr(lead, name) for name in values}
    tags_before = repo.tag_names([lead.id]).get(lead.id, [])
    for name, value in values.items():
        if value is not None:
            setattr(lead, name, value)
    _finish(repo, lead, tags, before, tags_before, actor, {"resent_event": True})


def _finish(
    repo: LeadRepository,
    lead: Lead,
    tags: list[str] | None,
    before: dict[str, Any],
    tags_before: list[str],
    actor: Actor,
    marker: dict[str, Any],
) -> None:
    """Stamp the changed lead, add the tags, and record what changed on its timeline."""
    lead.updated_at = utcnow()
    repo.session.flush()
    if tags:
        repo.merge_tags(lead.id, tags)
    after = {name: getattr(lead, name) for name in before}
    session, workspace_id = repo.session, repo.workspace_id
    events.record_changes(
        session, workspace_id, lead.id, actor=actor, before=before, after=after, data=marker
    )
    tags_after = repo.tag_names([lead.id]).get(lead.id, [])
    events.record_tags(
        session, workspace_id, lead.id, actor=actor, before=tags_before, after=tags_after
    )
