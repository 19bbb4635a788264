"""Bulk actions on leads picked in a list: one use case, one transaction, events per lead.

Each action goes through the per-lead service, so every lead records its own events exactly as if
it had been changed alone. Ids that name no lead of the workspace are skipped, never touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadUpdate
from leadhub.domains.leads.validation import clean_tag, normalize_label
from leadhub.domains.users import service as users
from leadhub.errors import Invalid, NotFound

# A page shows at most 100 leads; a little headroom, but no unbounded statements.
MAX_LEADS = 500


def add_tag(session: Session, principal: Principal, lead_ids: Sequence[int], tag: str) -> int:
    """Tag every picked lead (the tag is created on first use); answers how many leads."""
    if not tag.strip():
        raise Invalid.field("tag", "The tag field is required.")
    name = clean_tag(tag)
    picked = _picked(session, principal, lead_ids)
    for lead_id in picked:
        leads.add_tag(session, principal, lead_id, name)
    return len(picked)


def assign(
    session: Session, principal: Principal, lead_ids: Sequence[int], user_id: int | None
) -> int:
    """Assign every picked lead to a user of the workspace, or unassign them (None)."""
    if user_id is not None:
        try:
            users.get_user(session, principal, user_id)
        except NotFound:
            raise Invalid.field("assigned_user_id", "The selected user is invalid.") from None
    return _update_each(session, principal, lead_ids, LeadUpdate(assigned_user_id=user_id))


def set_status(session: Session, principal: Principal, lead_ids: Sequence[int], status: str) -> int:
    """Give every picked lead this status."""
    if not status.strip():
        raise Invalid.field("status", "The status field is required.")
    try:
        label = normalize_label(status)
    except ValueError as exc:
        raise Invalid.field("status", f"The status field {exc}.") from None
    return _update_each(session, principal, lead_ids, LeadUpdate(status=label))


def delete(session: Session, principal: Principal, lead_ids: Sequence[int]) -> int:
    """Delete every picked lead."""
    picked = _picked(session, principal, lead_ids)
    for lead_id in picked:
        leads.delete(session, principal, lead_id)
    return len(picked)


def _update_each(
    session: Session, principal: Principal, lead_ids: Sequence[int], data: LeadUpdate
) -> int:
    picked = _picked(session, principal, lead_ids)
    for lead_id in picked:
        leads.update(session, principal, lead_id, data=data)
    return len(picked)


def _picked(session: Session, principal: Principal, lead_ids: Sequence[int]) -> list[int]:
    """The workspace's leads among the ids (in id order, so concurrent bulks lock alike)."""
    if len(set(lead_ids)) > MAX_LEADS:
        raise Invalid.field("ids", f"Pick at most {MAX_LEADS} leads at a time.")
    return LeadRepository(session, principal.workspace_id).existing_ids(lead_ids)
