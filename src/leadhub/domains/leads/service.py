"""Leads: create, read, change, delete, list, tag."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.account import history
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import LEAD_CREATED, LEAD_DELETED, Actor
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import (
    LeadCreate,
    LeadFields,
    LeadFilters,
    LeadRead,
    LeadReference,
    LeadUpdate,
)
from leadhub.domains.leads.validation import clean, clean_tag
from leadhub.domains.tags.repository import TagRepository
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.kit.contact import InvalidEmail, normalize_email, normalize_phone
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import Lead
from leadhub.models.lead import ATTRIBUTION_FIELDS


def list_leads(
    session: Session, principal: Principal, *, filters: LeadFilters, page: PageRequest
) -> Page[LeadRead]:
    """A page of the workspace's leads, filtered and sorted; a search is noted in the history."""
    repo = LeadRepository(session, principal.workspace_id)
    rows, total = repo.list_page(filters, page)
    history.note_search(session, principal, filters=filters, page=page, lead_count=total)
    tags = repo.tag_names([row["id"] for row in rows])
    return Page(
        items=[read_of(row, tags.get(row["id"], [])) for row in rows], total=total, request=page
    )


def get(session: Session, principal: Principal, lead_id: int) -> LeadRead:
    """One lead (read as a row: nothing here changes it)."""
    repo = LeadRepository(session, principal.workspace_id)
    row = repo.get_row(Lead, lead_id)
    if row is None:
        raise NotFound.of("Lead")
    return read_of(row, repo.tag_names([lead_id]).get(lead_id, []))


def find(session: Session, principal: Principal, reference: LeadReference) -> LeadRead:
    """The lead named by id, unique identifier, email or phone (the newest when several match)."""
    repo = LeadRepository(session, principal.workspace_id)
    return _read(repo, find_lead(repo, reference))


def find_lead(repo: LeadRepository, reference: LeadReference) -> Lead:
    """The lead named by the first identifier given; Invalid when none is, NotFound."""
    lead: Lead | None
    if reference.lead_id is not None:
        lead = repo.get_lead(reference.lead_id)
    elif text := (reference.unique_identifier or "").strip():
        lead = repo.newest_where(Lead.unique_identifier, text)
    elif text := (reference.email or "").strip():
        lead = repo.newest_where(Lead.email, _email_key(text))
    elif text := (reference.phone or "").strip():
        region = workspaces.default_region(repo.session, repo.workspace_id)
        lead = repo.newest_where(Lead.phone, normalize_phone(text, region))
    else:
        raise Invalid.field("lead", "Provide one of lead id, unique identifier, email or phone.")
    if lead is None:
        raise NotFound.of("Lead")
    return lead


def _email_key(text: str) -> str:
    try:
        return normalize_email(text)
    except InvalidEmail:
        return text.lower()


def create(
    session: Session, principal: Principal, *, data: LeadCreate, default_source: str = "api"
) -> LeadRead:
    """A new lead; emails and phones are normalised and must not belong to another lead."""
    repo = LeadRepository(session, principal.workspace_id)
    region = _phone_region(session, principal, data)
    values, tags, errors = clean(session, repo, data, region=region, current=None)
    if errors:
        raise Invalid(errors)
    values.setdefault("source", default_source)
    lead = repo.add(Lead(**{"custom_fields": {}, **values}))
    _flush_unique(session)
    if tags:
        repo.set_tags(lead.id, tags)
        read = _read(repo, lead)
    else:
        read = to_read(lead, [])  # a new lead's tags are the ones just set
    events.record(
        session,
        principal.workspace_id,
        lead.id,
        LEAD_CREATED,
        actor=Actor.of(principal),
        data={"source": read.source, "tags": read.tags},
    )
    return read


def update(session: Session, principal: Principal, lead_id: int, *, data: LeadUpdate) -> LeadRead:
    """Change the fields sent; custom fields merge (a null value removes a key), tags replace."""
    repo = LeadRepository(session, principal.workspace_id)
    lead = _require(repo, lead_id, for_update=True)
    region = _phone_region(session, principal, data)
    values, tags, errors = clean(session, repo, data, region=region, current=lead)
    if errors:
        raise Invalid(errors)
    if "custom_fields" in values:
        values["custom_fields"] = merge_custom_fields(lead.custom_fields, values["custom_fields"])
    before = {name: getattr(lead, name) for name in values}
    tags_before = repo.tag_names([lead.id]).get(lead.id, [])
    for name, value in values.items():
        setattr(lead, name, value)
    lead.updated_at = utcnow()
    _flush_unique(session)
    if tags is not None:
        repo.set_tags(lead.id, tags)
    read = _read(repo, lead)
    actor = Actor.of(principal)
    events.record_changes(
        session, principal.workspace_id, lead.id, actor=actor, before=before, after=values
    )
    events.record_tags(
        session, principal.workspace_id, lead.id, actor=actor, before=tags_before, after=read.tags
    )
    return read


def delete(session: Session, principal: Principal, lead_id: int) -> None:
    """Delete a lead and its tags."""
    repo = LeadRepository(session, principal.workspace_id)
    lead = _require(repo, lead_id)
    snapshot = {"first_name": lead.first_name, "last_name": lead.last_name, "email": lead.email}
    repo.delete_lead(lead)
    session.flush()
    events.record(
        session,
        principal.workspace_id,
        lead_id,
        LEAD_DELETED,
        actor=Actor.of(principal),
        data=snapshot,
    )


def add_tag(session: Session, principal: Principal, lead_id: int, tag: str) -> LeadRead:
    """Tag a lead, creating the tag on first use."""
    repo = LeadRepository(session, principal.workspace_id)
    lead = _require(repo, lead_id)
    before = repo.tag_names([lead.id]).get(lead.id, [])
    repo.merge_tags(lead.id, [clean_tag(tag)])
    _touch(lead)
    return _after_tagging(repo, lead, before, Actor.of(principal))


def remove_tag(session: Session, principal: Principal, lead_id: int, tag: str) -> LeadRead:
    """Take a tag off a lead; a tag it does not carry is no error."""
    repo = LeadRepository(session, principal.workspace_id)
    lead = _require(repo, lead_id)
    before = repo.tag_names([lead.id]).get(lead.id, [])
    for record in TagRepository(session, principal.workspace_id).find_by_names([tag.strip()]):
        repo.remove_tag(lead.id, record.id)
        _touch(lead)
    return _after_tagging(repo, lead, before, Actor.of(principal))


def merge_custom_fields(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current or {})
    for key, value in incoming.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def to_read(lead: Lead, tags: list[str]) -> LeadRead:
    return read_of(_loaded(lead), tags)


def read_of(values: Mapping[Any, Any], tags: list[str]) -> LeadRead:
    """A lead's answer from its columns' values (a Lead's, or a row of the leads table)."""
    value = values["value"]
    # The nested parts as dicts: validated with the whole answer in one call.
    return LeadRead.model_validate(
        {
            **{name: values[name] for name in _PLAIN_FIELDS},
            "custom_fields": values["custom_fields"] or {},
            "tags": tags,
            "value": float(value) if value is not None else None,
            "device": {"ip_address": values["ip_address"], "user_agent": values["user_agent"]},
            "attribution": {name: values[name] for name in ATTRIBUTION_FIELDS},
        }
    )


# The answer's fields read as they are stored; the others are built by `read_of`.
_PLAIN_FIELDS = tuple(
    name
    for name in LeadRead.model_fields
    if name not in {"custom_fields", "tags", "value", "device", "attribution"}
)
_READ_COLUMNS = frozenset(
    (*_PLAIN_FIELDS, *ATTRIBUTION_FIELDS, "custom_fields", "value", "ip_address", "user_agent")
)


def _loaded(lead: Lead) -> Mapping[str, Any]:
    """The lead's values: its instance dict when every column read is loaded there (an
    attribute's descriptor costs more than the lookup, times 45 columns and 25 leads a page),
    else through the attributes, which load what is missing."""
    values = lead.__dict__
    if values.keys() >= _READ_COLUMNS:
        return values
    return {name: getattr(lead, name) for name in _READ_COLUMNS}


# -- helpers -------------------------------------------------------------------------------


def _require(repo: LeadRepository, lead_id: int, *, for_update: bool = False) -> Lead:
    lead = repo.get_for_update(lead_id) if for_update else repo.get_lead(lead_id)
    if lead is None:
        raise NotFound.of("Lead")
    return lead


def _phone_region(session: Session, principal: Principal, data: LeadFields) -> str:
    """The region a phone sent without its country code is read in; looked up only when a
    phone is sent (a query saved on most writes)."""
    if "phone" not in data.model_fields_set:
        return ""
    return workspaces.default_region(session, principal.workspace_id)


def _read(repo: LeadRepository, lead: Lead) -> LeadRead:
    return to_read(lead, repo.tag_names([lead.id]).get(lead.id, []))


def _after_tagging(repo: LeadRepository, lead: Lead, before: list[str], actor: Actor) -> LeadRead:
    read = _read(repo, lead)
    events.record_tags(
        repo.session, repo.workspace_id, lead.id, actor=actor, before=before, after=read.tags
    )
    return read


def _touch(lead: Lead) -> None:
    lead.updated_at = utcnow()


def _flush_unique(session: Session) -> None:
    """Flush; a unique email or phone taken by a concurrent request is a field error."""
    try:
        session.flush()
    except IntegrityError as exc:
        text = str(exc.orig).lower()
        for field in ("email", "phone"):
            if field in text:
                raise Invalid.field(field, f"The {field} has already been taken.") from exc
        raise
