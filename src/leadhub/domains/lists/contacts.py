"""Contacts: the leads that are in lists, as a prospect database shows them. A contact is added
to a list by email (an existing lead with that email is updated, not duplicated); taking a contact
out of every list leaves the lead in the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.events.schemas import Actor
from leadhub.domains.leads import intake
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import (
    LeadFields,
    LeadFilters,
    LeadRead,
    LeadReference,
    LeadUpdate,
)
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.repository import ListRepository
from leadhub.errors import Invalid, NotFound
from leadhub.kit.pagination import Page, PageRequest


@dataclass(frozen=True)
class Contact:
    lead: LeadRead
    date_added: datetime


def page(
    session: Session, principal: Principal, *, list_id: int | None, page: PageRequest
) -> Page[Contact]:
    """The contacts of one list (or of every list), newest lead first."""
    if list_id is not None:
        lists.require(ListRepository(session, principal.workspace_id), list_id)
    filters = LeadFilters(list_id=list_id, in_any_list=list_id is None)
    found = leads.list_leads(session, principal, filters=filters, page=page)
    added = _added(session, principal, list_id, [lead.id for lead in found.items])
    items = [
        Contact(lead=lead, date_added=added.get(lead.id, lead.created_at)) for lead in found.items
    ]
    return Page(items=items, total=found.total, request=page)


def find(
    session: Session, principal: Principal, *, list_id: int | None, reference: LeadReference
) -> Contact:
    """One contact by id or email, in this list (or in any list)."""
    lead = _member(session, principal, list_id, reference)
    added = _added(session, principal, list_id, [lead.id])
    return Contact(lead=lead, date_added=added.get(lead.id, lead.created_at))


def save(
    session: Session, principal: Principal, *, list_id: int, data: LeadFields
) -> tuple[Contact, bool]:
    """Add a contact to a list by email (updating the lead with that email): (contact, created)."""
    if not data.email or not data.email.strip():
        raise Invalid.field("email", "The email field is required.")
    lists.require(ListRepository(session, principal.workspace_id), list_id)
    existing = _by_email(session, principal, data.email)
    if existing is None:
        result = intake.capture(
            session,
            principal.workspace_id,
            data=data,
            default_source="leadsopedia",
            actor=Actor.of(principal),
        )
        lead_id, created = result.lead_id, not result.is_duplicate
    else:
        changes = LeadUpdate.model_validate(data.model_dump(exclude_unset=True))
        lead_id, created = leads.update(session, principal, existing.id, data=changes).id, False
    lists.add_leads(session, principal, list_id, [lead_id])
    return find(
        session, principal, list_id=list_id, reference=LeadReference(lead_id=lead_id)
    ), created


def update(session: Session, principal: Principal, lead_id: int, *, data: LeadFields) -> Contact:
    """Change a contact's fields (the lead must be in a list)."""
    _member(session, principal, None, LeadReference(lead_id=lead_id))
    changes = LeadUpdate.model_validate(data.model_dump(exclude_unset=True))
    leads.update(session, principal, lead_id, data=changes)
    return find(session, principal, list_id=None, reference=LeadReference(lead_id=lead_id))


def remove(
    session: Session, principal: Principal, *, list_id: int | None, reference: LeadReference
) -> None:
    """Take a contact out of one list, or out of every list; the lead stays."""
    lead = _member(session, principal, list_id, reference)
    if list_id is not None:
        lists.remove_lead(session, principal, list_id, lead.id)
    else:
        ListRepository(session, principal.workspace_id).remove_everywhere(lead.id)
        session.flush()


def _member(
    session: Session, principal: Principal, list_id: int | None, reference: LeadReference
) -> LeadRead:
    repo = ListRepository(session, principal.workspace_id)
    if list_id is not None:
        lists.require(repo, list_id)
    try:
        lead = leads.find(session, principal, reference)
    except NotFound:
        raise NotFound.of("Contact") from None
    memberships = repo.lists_of([lead.id]).get(lead.id, [])
    if not memberships or (list_id is not None and list_id not in memberships):
        raise NotFound.of("Contact")
    return lead


def _by_email(session: Session, principal: Principal, email: str) -> LeadRead | None:
    try:
        return leads.find(session, principal, LeadReference(email=email))
    except NotFound:
        return None


def _added(
    session: Session, principal: Principal, list_id: int | None, lead_ids: list[int]
) -> dict[int, datetime]:
    repo = ListRepository(session, principal.workspace_id)
    return repo.added_at(list_id, lead_ids) if list_id is not None else repo.first_added(lead_ids)
