"""What a conversion tells the ad platforms, and how a conversion settles once sent."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadhub.domains.conversions.repository import ConversionRepository
from leadhub.domains.conversions.schemas import LOST, OPEN, RATED
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import CONVERSION_PROCESSED, SYSTEM
from leadhub.integrations.adplatforms import ConversionEvent
from leadhub.kit.clock import utcnow
from leadhub.models import Conversion, Lead


def event_for(lead: Lead, conversion: Conversion) -> ConversionEvent:
    """The conversion as the platforms take it: the outcome, and who the lead is."""
    return ConversionEvent(
        # Stable across retries, so a platform that got it once drops a repeat.
        event_id=f"leadhub-{lead.workspace_id}-{conversion.id}",
        occurred_at=conversion.rated_at,
        value=conversion.value,
        currency=conversion.currency,
        email=lead.email,
        phone=lead.phone,
        first_name=lead.first_name,
        last_name=lead.last_name,
        external_id=str(lead.id),
        ip_address=lead.ip_address,
        user_agent=lead.user_agent,
        gclid=lead.gclid,
        wbraid=lead.wbraid,
        cid=lead.cid,
        sid=lead.sid,
        fbc=lead.fbc,
        fbp=lead.fbp,
    )


def settle(session: Session, workspace_id: int, conversion_id: int) -> bool:
    """Close the conversion when every send has its outcome; whether it closed now."""
    repo = ConversionRepository(session, workspace_id)
    # Locked, so two sends finishing at once cannot both think the other is still running.
    conversion = repo.lock_conversion(conversion_id)
    if conversion is None or conversion.status != "pending":
        return False
    sends = repo.sends_of([conversion.id]).get(conversion.id, [])
    if any(send.status == "queued" for send in sends):
        return False
    outcomes = {send.status for send in sends} - {"skipped"}
    if not outcomes:
        conversion.status = "recorded"
    elif outcomes == {"sent"}:
        conversion.status = "sent"
    elif outcomes == {"failed"}:
        conversion.status = "failed"
    else:
        conversion.status = "partial"
    conversion.finished_at = utcnow()
    lead = session.get(Lead, conversion.lead_id)
    if lead is not None and lead.workspace_id == workspace_id:
        _move_on(session, lead, conversion)
    session.flush()
    return True


def _move_on(session: Session, lead: Lead, conversion: Conversion) -> None:
    status = LOST if conversion.kind == LOST else RATED if conversion.mark_as_done else OPEN
    before = lead.status
    lead.status = status
    lead.updated_at = utcnow()
    session.flush()
    events.record_changes(
        session,
        lead.workspace_id,
        lead.id,
        actor=SYSTEM,
        before={"status": before},
        after={"status": status},
    )
    events.record(
        session,
        lead.workspace_id,
        lead.id,
        CONVERSION_PROCESSED,
        actor=SYSTEM,
        data={
            "conversion_id": conversion.id,
            "label": conversion.label_name,
            "outcome": conversion.status,
        },
    )
