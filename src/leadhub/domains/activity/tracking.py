"""Tracking links followed to a hosted page: the click counted, the visit tied to its lead.

The hosted page calls these: a link's first visit of an ungated page, or an unlock through it,
records the capture with the link's source (comments or dms) and its id.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadhub.domains.activity.repository import ActivityRepository, tracking_link_for_update
from leadhub.domains.activity.schemas import TrackedVisit
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import SYSTEM
from leadhub.domains.leads.repository import LeadRepository
from leadhub.kit.clock import utcnow
from leadhub.kit.contact import InvalidEmail, normalize_email
from leadhub.models import Lead


def follow(session: Session, magnet_id: int, token: str) -> TrackedVisit | None:
    """Count a click of the magnet's tracking link; None when the token is not one of its links."""
    link = tracking_link_for_update(session, token)
    if link is None or link.magnet_id != magnet_id:
        return None
    first = link.clicks == 0
    link.clicks += 1
    link.last_clicked_at = utcnow()
    session.flush()
    return TrackedVisit(
        token=link.uuid,
        source=link.source,
        lead_id=link.lead_id,
        first_click=first,
        workspace_id=link.workspace_id,
    )


def find(session: Session, magnet_id: int, token: str) -> TrackedVisit | None:
    """The magnet's tracking link, without counting a click."""
    link = tracking_link_for_update(session, token)
    if link is None or link.magnet_id != magnet_id:
        return None
    return TrackedVisit(
        token=link.uuid,
        source=link.source,
        lead_id=link.lead_id,
        first_click=False,
        workspace_id=link.workspace_id,
    )


def claim_email(session: Session, visit: TrackedVisit, email: str) -> None:
    """The person the link was sent to gives their email: their lead takes it when it has none
    and no other lead has it (so the capture that follows merges into that lead)."""
    if visit.lead_id is None:
        return
    try:
        address = normalize_email(email)
    except InvalidEmail:
        return  # the capture reports it
    repo = LeadRepository(session, visit.workspace_id)
    lead = repo.get_for_update(visit.lead_id)
    if lead is None or lead.email or repo.taken_by_other(Lead.email, address, lead.id):
        return
    lead.email = address
    session.flush()
    events.record_changes(
        session,
        visit.workspace_id,
        lead.id,
        actor=SYSTEM,
        before={"email": None},
        after={"email": address},
        data={"tracking_link_id": visit.token},
    )


def submitted(session: Session, visit: TrackedVisit, lead_id: int) -> None:
    """The captured lead is the one the link was sent to: its profile notes when it submitted."""
    if visit.lead_id != lead_id:
        return
    profile = ActivityRepository(session, visit.workspace_id).profile_of_lead(lead_id)
    if profile is not None and profile.submitted_at is None:
        profile.submitted_at = utcnow()
        session.flush()
