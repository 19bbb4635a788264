"""Rating leads and processing the ratings into offline conversions.

A rating is a conversion in status `rated`; processing it makes it `pending`, decides per
destination whether the lead has the data the platform needs (a warning when not), and queues
one job per send. When every send has an outcome the conversion settles and the lead moves on:
to `rated` when its label is marked done, back to `open` otherwise, or to `lost`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.conversions import labels as label_service
from leadhub.domains.conversions.repository import ConversionRepository
from leadhub.domains.conversions.schemas import (
    LOST,
    LOST_LABEL,
    OPEN,
    PENDING,
    ConversionRead,
    Rating,
    SendRead,
    StatusChange,
)
from leadhub.domains.conversions.sending import event_for
from leadhub.domains.events import service as events
from leadhub.domains.events.schemas import CONVERSION_QUEUED, LEAD_RATED, Actor
from leadhub.domains.jobs import service as jobs
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadReference
from leadhub.domains.leads.service import find_lead
from leadhub.errors import Conflict, Invalid, NotFound
from leadhub.integrations import adplatforms
from leadhub.kit.clock import utcnow
from leadhub.models import Conversion, ConversionLabel, ConversionSend, Lead

SEND_KIND = "conversions.send"
SETTLE_KIND = "conversions.settle"
SEND_ATTEMPTS = 6
_PENDING_MESSAGE = "This lead already has a conversion pending; wait until it has been sent."


def rate(session: Session, principal: Principal, lead_id: int, *, rating: Rating) -> ConversionRead:
    """Rate a lead with a label (or as lost); the rating waits to be processed."""
    repo = ConversionRepository(session, principal.workspace_id)
    lead = _lead(session, principal, LeadReference(lead_id=lead_id))
    conversion = _rate(repo, lead, _label(repo, rating), Actor.of(principal))
    return read_many(repo, [conversion])[0]


def process(
    session: Session, principal: Principal, *, lead_ids: Sequence[int] | None = None
) -> list[ConversionRead]:
    """Queue the rated leads' conversions (all of them, or those of these leads)."""
    repo = ConversionRepository(session, principal.workspace_id)
    actor = Actor.of(principal)
    queued = []
    drafts = repo.drafts(lead_ids)
    # One query for every rated lead, not one per rating.
    found = LeadRepository(session, principal.workspace_id).by_ids([d.lead_id for d in drafts])
    for conversion in drafts:
        lead = found.get(conversion.lead_id)
        if lead is not None:
            _queue(repo, lead, conversion, actor)
            queued.append(conversion)
    return read_many(repo, queued)


def set_status(
    session: Session,
    principal: Principal,
    reference: LeadReference,
    *,
    conversion: str,
    price_cents: int | None = None,
) -> StatusChange:
    """Rate and process in one step: `open` resets the lead, `lost` or a label's id (or uuid)
    queues its conversion. A price in cents becomes the lead's value first."""
    repo = ConversionRepository(session, principal.workspace_id)
    lead = _lead(session, principal, reference)
    actor = Actor.of(principal)
    if repo.open_conversion(lead.id, PENDING) is not None:
        raise Conflict(_PENDING_MESSAGE)
    label = _label_for(repo, conversion)
    if price_cents is not None:
        _set_value(lead, Decimal(price_cents) / 100, actor, repo)
    if conversion.strip().lower() == OPEN:
        _reopen(repo, lead, actor)
        return StatusChange(lead.id, lead.unique_identifier, OPEN, queued=False)
    draft = _rate(repo, lead, label, actor)
    _queue(repo, lead, draft, actor)
    return StatusChange(
        lead.id, lead.unique_identifier, PENDING, queued=True, warnings=list(draft.warnings)
    )


def reopen(session: Session, principal: Principal, lead_id: int) -> None:
    """Take a lead's rating back before it is processed: it is open again."""
    repo = ConversionRepository(session, principal.workspace_id)
    lead = _lead(session, principal, LeadReference(lead_id=lead_id))
    if repo.open_conversion(lead.id, PENDING) is not None:
        raise Conflict(_PENDING_MESSAGE)
    _reopen(repo, lead, Actor.of(principal))


def list_for_lead(session: Session, principal: Principal, lead_id: int) -> list[ConversionRead]:
    """A lead's conversions, newest first, with every send's outcome."""
    repo = ConversionRepository(session, principal.workspace_id)
    lead = _lead(session, principal, LeadReference(lead_id=lead_id))
    return read_many(repo, repo.for_leads([lead.id]))


def latest_by_lead(
    session: Session, principal: Principal, lead_ids: Sequence[int]
) -> dict[int, ConversionRead]:
    """Each lead's newest conversion, for lists of leads."""
    repo = ConversionRepository(session, principal.workspace_id)
    newest: dict[int, Conversion] = {}
    for conversion in repo.for_leads(lead_ids, limit=1):
        newest.setdefault(conversion.lead_id, conversion)
    return {read.lead_id: read for read in read_many(repo, list(newest.values()))}


def read_many(repo: ConversionRepository, conversions: list[Conversion]) -> list[ConversionRead]:
    sends = repo.sends_of([conversion.id for conversion in conversions])
    return [
        ConversionRead(
            id=conversion.id,
            lead_id=conversion.lead_id,
            label_id=conversion.label_id,
            label_name=conversion.label_name,
            kind=conversion.kind,
            value=float(conversion.value) if conversion.value is not None else None,
            currency=conversion.currency,
            status=conversion.status,
            warnings=list(conversion.warnings or []),
            rated_at=conversion.rated_at,
            queued_at=conversion.queued_at,
            finished_at=conversion.finished_at,
            sends=[_read_send(send) for send in sends.get(conversion.id, [])],
        )
        for conversion in conversions
    ]


# -- the steps ------------------------------------------------------------------------------


def _rate(
    repo: ConversionRepository, lead: Lead, label: ConversionLabel | None, actor: Actor
) -> Conversion:
    """The lead's rating (a new one, or the unprocessed one changed)."""
    if repo.open_conversion(lead.id, PENDING) is not None:
        raise Conflict(_PENDING_MESSAGE)
    conversion = repo.open_conversion(lead.id, "rated")
    if conversion is None:
        conversion = repo.add(Conversion(lead_id=lead.id, label_name="", status="rated"))
    conversion.label_id = label.id if label else None
    conversion.kind = "label" if label else LOST
    conversion.label_name = label.name if label else LOST_LABEL
    conversion.mark_as_done = label.mark_as_done if label else True
    conversion.currency = label.currency if label else "EUR"
    conversion.rated_at = utcnow()
    before = lead.conversion_label_id
    lead.conversion_label_id = label.id if label else None
    repo.session.flush()
    events.record(
        repo.session,
        repo.workspace_id,
        lead.id,
        LEAD_RATED,
        actor=actor,
        changes={"conversion_label_id": (before, lead.conversion_label_id)},
        data={"label": conversion.label_name, "conversion_id": conversion.id},
    )
    return conversion


def _queue(repo: ConversionRepository, lead: Lead, conversion: Conversion, actor: Actor) -> None:
    """Make the rating pending: a send per destination that has its data, a warning per other."""
    label = repo.get(ConversionLabel, conversion.label_id) if conversion.label_id else None
    conversion.value = lead.value if lead.value is not None else (label.value if label else None)
    conversion.status = PENDING
    conversion.queued_at = utcnow()
    event = event_for(lead, conversion)
    destinations = list(label.destinations or []) if label and conversion.kind != LOST else []
    rows = repo.integrations([int(item["integration_id"]) for item in destinations])
    warnings: list[dict[str, str]] = []
    queued = 0
    for item in destinations:
        row = rows.get(int(item["integration_id"]))
        if row is None or not row.is_active:
            continue
        problem = adplatforms.missing(row.type, event)
        send = repo.add(
            ConversionSend(
                conversion_id=conversion.id,
                integration_id=row.id,
                destination=row.type,
                integration_name=row.name,
                target=str(item["target"]),
                status="skipped" if problem else "queued",
                detail=problem,
            )
        )
        repo.session.flush()
        if problem:
            warnings.append({"integration": row.type, "name": row.name, "message": problem})
            continue
        queued += 1
        jobs.enqueue(
            repo.session,
            SEND_KIND,
            {"send_id": send.id},
            workspace_id=repo.workspace_id,
            max_attempts=SEND_ATTEMPTS,
        )
    conversion.warnings = warnings
    _set_status(lead, PENDING, actor, repo)
    events.record(
        repo.session,
        repo.workspace_id,
        lead.id,
        CONVERSION_QUEUED,
        actor=actor,
        data={
            "conversion_id": conversion.id,
            "label": conversion.label_name,
            "sends": queued,
            "warnings": [warning["message"] for warning in warnings],
        },
    )
    if not queued:  # nothing to send: it settles in a job all the same, after commit
        jobs.enqueue(
            repo.session,
            SETTLE_KIND,
            {"conversion_id": conversion.id},
            workspace_id=repo.workspace_id,
        )


def _reopen(repo: ConversionRepository, lead: Lead, actor: Actor) -> None:
    draft = repo.open_conversion(lead.id, "rated")
    if draft is not None:
        repo.session.delete(draft)
    if lead.conversion_label_id is not None:
        lead.conversion_label_id = None
    _set_status(lead, OPEN, actor, repo)


def _set_status(lead: Lead, status: str, actor: Actor, repo: ConversionRepository) -> None:
    before = lead.status
    if before == status:
        return
    lead.status = status
    lead.updated_at = utcnow()
    repo.session.flush()
    events.record_changes(
        repo.session,
        repo.workspace_id,
        lead.id,
        actor=actor,
        before={"status": before},
        after={"status": status},
    )


def _set_value(lead: Lead, value: Decimal, actor: Actor, repo: ConversionRepository) -> None:
    before = lead.value
    lead.value = value
    lead.updated_at = utcnow()
    repo.session.flush()
    events.record_changes(
        repo.session,
        repo.workspace_id,
        lead.id,
        actor=actor,
        before={"value": before},
        after={"value": value},
    )


def _lead(session: Session, principal: Principal, reference: LeadReference) -> Lead:
    return find_lead(LeadRepository(session, principal.workspace_id), reference)


def _label(repo: ConversionRepository, rating: Rating) -> ConversionLabel | None:
    if rating.lost:
        return None
    if rating.label_id is None:
        raise Invalid.field("label_id", "Choose a conversion label, or rate the lead as lost.")
    return label_service.require(repo, rating.label_id)


def _label_for(repo: ConversionRepository, reference: str) -> ConversionLabel | None:
    """The label a LeadTrackr `conversionId` names; None for `open` and `lost`."""
    text = reference.strip()
    if text.lower() in (OPEN, LOST):
        return None
    label = repo.label_by_reference(text)
    if label is None:
        raise NotFound.of("Conversion label")
    return label


def _read_send(send: ConversionSend) -> SendRead:
    return SendRead(
        id=send.id,
        integration_id=send.integration_id,
        integration_name=send.integration_name,
        destination=send.destination,
        target=send.target,
        status=send.status,
        attempts=send.attempts,
        detail=send.detail,
        sent_at=send.sent_at,
    )
