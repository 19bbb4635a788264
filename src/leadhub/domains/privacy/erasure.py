"""Erasing what is held about a person, kind by kind, in the caller's transaction.

A record that only exists for the person is deleted; a record that also counts for something
else (a form's submissions, a magnet's captures and page views, a tracking link's clicks, the
search history's counts) stays with the person's data taken
out of it. Nothing here records a lead event, so no webhook or automation hears of the erasure,
and the jobs that would still send the person's data are deleted before they run.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from leadhub.db.base import WorkspaceOwned
from leadhub.domains.privacy.holdings import Holdings
from leadhub.domains.privacy.needles import ERASED
from leadhub.models import (
    Activity,
    AutomationRun,
    Conversion,
    ConversionSend,
    FormSubmission,
    IdempotencyRecord,
    Job,
    Lead,
    LeadEvent,
    LeadExport,
    ListMember,
    MagnetCapture,
    MediaObject,
    PageEvent,
    SocialProfile,
    TrackingLink,
    WebhookDelivery,
)


class Tally:
    """What the erasure did: rows deleted and anonymised per kind, stored files to remove."""

    def __init__(self) -> None:
        self.deleted: Counter[str] = Counter()
        self.anonymised: Counter[str] = Counter()
        self.file_keys: list[str] = []


def erase(session: Session, held: Holdings) -> Tally:
    """Delete or anonymise every record held; the caller commits (or rolls back) the whole."""
    tally = Tally()
    _delete_jobs(session, held, tally)
    _delete_by_id(session, WebhookDelivery, held.deliveries, "webhook_deliveries", tally)
    _delete_by_id(session, AutomationRun, held.runs, "automation_runs", tally)
    _delete_by_id(session, LeadEvent, held.events, "lead_events", tally)
    _anonymise_tracking_links(session, held, tally)
    _delete_by_id(session, Activity, held.activities, "social_activities", tally)
    _anonymise_captures(session, held, tally)
    _anonymise_page_events(session, held, tally)
    _anonymise_submissions(session, held, tally)
    _delete_by_id(session, ConversionSend, held.sends, "conversion_sends", tally)
    _delete_by_id(session, Conversion, held.conversions, "conversions", tally)
    _delete_memberships(session, held, tally)
    _delete_by_id(session, SocialProfile, held.profiles, "social_profiles", tally)
    _delete_by_id(session, Lead, held.leads, "leads", tally)
    _delete_retry_answers(session, held, tally)
    _scrub_free_text(held, tally)
    _delete_files(session, held, tally)
    session.flush()
    return tally


def _delete_by_id(
    session: Session, model: type[WorkspaceOwned], rows: Sequence[Any], kind: str, tally: Tally
) -> None:
    ids = [row.id for row in rows]
    if not ids:
        return
    statement = delete(model).where(
        model.workspace_id == rows[0].workspace_id,
        model.id.in_(ids),  # type: ignore[attr-defined]
    )
    tally.deleted[kind] += _count(session.execute(statement.execution_options(**_BULK)))


def _delete_jobs(session: Session, held: Holdings, tally: Tally) -> None:
    """Jobs not started never run; one running now finds its records gone."""
    ids = [job.id for job in held.jobs]
    if not ids:
        return
    statement = delete(Job).where(
        Job.workspace_id == held.person.workspace_id, Job.id.in_(ids), Job.status != "running"
    )
    tally.deleted["jobs"] += _count(session.execute(statement.execution_options(**_BULK)))


def _delete_retry_answers(session: Session, held: Holdings, tally: Tally) -> None:
    """The answers kept for `Idempotency-Key` retries that show the person (a created lead's
    body, say): deleted, as a retry after the erasure must not hand their data out again."""
    person = held.person
    needles = person.needles
    lead_paths = tuple(f"/leads/{lead_id}" for lead_id in person.all_lead_ids)
    rows = session.execute(
        select(IdempotencyRecord.id, IdempotencyRecord.path, IdempotencyRecord.body).where(
            IdempotencyRecord.workspace_id == person.workspace_id
        )
    )
    ids = [
        row.id
        for row in rows
        if needles.in_stream([bytes(row.body)])
        or any(row.path.endswith(path) or f"{path}/" in row.path for path in lead_paths)
    ]
    if not ids:
        return
    statement = delete(IdempotencyRecord).where(
        IdempotencyRecord.workspace_id == person.workspace_id, IdempotencyRecord.id.in_(ids)
    )
    tally.deleted["retry_answers"] += _count(session.execute(statement.execution_options(**_BULK)))


def _delete_memberships(session: Session, held: Holdings, tally: Tally) -> None:
    if not held.memberships:
        return
    statement = delete(ListMember).where(
        ListMember.workspace_id == held.person.workspace_id,
        ListMember.lead_id.in_(held.person.lead_ids),
    )
    tally.deleted["list_memberships"] += _count(
        session.execute(statement.execution_options(**_BULK))
    )


def _anonymise_tracking_links(session: Session, held: Holdings, tally: Tally) -> None:
    """The link and its clicks stay; whom it was sent to goes."""
    values = {"lead_id": None, "activity_id": None}
    _anonymise(session, TrackingLink, held.tracking_links, values, "tracking_links", tally)


def _anonymise_captures(session: Session, held: Holdings, tally: Tally) -> None:
    """The magnet's capture count stays; who was captured goes."""
    values = {"lead_id": None, "visitor_id": None, "tracking_link_id": None}
    _anonymise(session, MagnetCapture, held.captures, values, "magnet_captures", tally)


def _anonymise_page_events(session: Session, held: Holdings, tally: Tally) -> None:
    """Each visitor cookie of the person becomes a new random one: the page's views and
    unique visitors count the same, and nothing ties them to the person any more."""
    for visitor_id in sorted({event.visitor_id for event in held.page_events if event.visitor_id}):
        statement = (
            update(PageEvent)
            .where(
                PageEvent.workspace_id == held.person.workspace_id,
                PageEvent.visitor_id == visitor_id,
            )
            .values(visitor_id=uuid.uuid4().hex)
        )
        tally.anonymised["page_events"] += _count(
            session.execute(statement.execution_options(**_BULK))
        )


def _anonymise_submissions(session: Session, held: Holdings, tally: Tally) -> None:
    """A form's submission counts stay; what was submitted, from where, goes."""
    values: dict[str, Any] = {
        "lead_id": None,
        "data": {},
        "attribution": {},
        "ip_address": None,
        "user_agent": None,
    }
    _anonymise(session, FormSubmission, held.submissions, values, "form_submissions", tally)


def _anonymise(
    session: Session,
    model: type[WorkspaceOwned],
    rows: Sequence[Any],
    values: dict[str, Any],
    kind: str,
    tally: Tally,
) -> None:
    ids = [row.id for row in rows]
    if not ids:
        return
    statement = (
        update(model)
        .where(model.workspace_id == rows[0].workspace_id, model.id.in_(ids))  # type: ignore[attr-defined]
        .values(**values)
    )
    tally.anonymised[kind] += _count(session.execute(statement.execution_options(**_BULK)))


def _scrub_free_text(held: Holdings, tally: Tally) -> None:
    """Where the person's email or phone was written into a record that stays (a search, an
    export's filter), that text becomes "[erased]"."""
    needles = held.person.needles
    for search in held.searches:
        search.query = ERASED
        tally.anonymised["search_history"] += 1
    for export in held.export_filters:
        export.filters = needles.scrub(export.filters)
        tally.anonymised["exports"] += 1


def _delete_files(session: Session, held: Holdings, tally: Tally) -> None:
    """Export files with the person's row, and the media only they link to; the stored bytes
    go once the erasure commits."""
    for export in held.exports:
        if export.file_key:
            tally.file_keys.append(export.file_key)
    _delete_by_id(session, LeadExport, held.exports, "exports", tally)
    tally.file_keys += [record.path for record in held.media]
    _delete_by_id(session, MediaObject, held.media, "media", tally)


_BULK = {"synchronize_session": False}


def _count(result: Any) -> int:
    return int(result.rowcount or 0)
