"""Privacy requests about one person (a lead, by email, phone or lead id): see what is held,
export all of it as one document, erase all of it in one transaction. Exports and erasures are
written to the audit log, naming the person by a keyed hash and never by their data."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db import deferred
from leadhub.domains.audit import service as audit
from leadhub.domains.privacy import document, erasure, files, holdings
from leadhub.domains.privacy.holdings import Holdings
from leadhub.domains.privacy.person import Person, resolve
from leadhub.domains.privacy.schemas import (
    ErasureResult,
    PersonExport,
    PersonQuery,
    PersonSummary,
)
from leadhub.domains.workspaces import service as workspaces
from leadhub.kit.clock import utcnow
from leadhub.storage.base import BlobStore

EXPORTED = "privacy.exported"
ERASED = "privacy.erased"
TARGET = "person"


def summarize(
    session: Session, principal: Principal, query: PersonQuery, *, store: BlobStore, key: str
) -> PersonSummary:
    """What is held about the person, counted by kind (nothing is written)."""
    held = _gather(session, principal, query, store=store, key=key)
    names = [
        " ".join(part for part in (lead.first_name, lead.last_name) if part) or f"Lead {lead.id}"
        for lead in held.leads
    ]
    return PersonSummary(
        reference=held.person.reference,
        lead_ids=held.person.lead_ids,
        names=names,
        counts=held.counts(),
        files=document.held_files(held),
    )


def export(
    session: Session,
    principal: Principal,
    query: PersonQuery,
    *,
    store: BlobStore,
    key: str,
    ip_address: str | None = None,
) -> PersonExport:
    """Everything held about the person as one document; the export is audited."""
    held = _gather(session, principal, query, store=store, key=key)
    counts = held.counts()
    audit.record(
        session,
        principal.workspace_id,
        principal,
        EXPORTED,
        target_type=TARGET,
        target_id=held.person.reference,
        details={"lead_ids": held.person.lead_ids, "counts": _nonzero(counts)},
        ip_address=ip_address,
    )
    return PersonExport(
        reference=held.person.reference,
        workspace=workspaces.get(session, principal.workspace_id).public_id,
        generated_at=utcnow(),
        lead_ids=held.person.lead_ids,
        counts=counts,
        records=document.records(held),
        files=document.held_files(held),
    )


def erase(
    session: Session,
    principal: Principal,
    query: PersonQuery,
    *,
    store: BlobStore,
    key: str,
    ip_address: str | None = None,
) -> ErasureResult:
    """Delete or anonymise everything held about the person, all in the caller's transaction
    (nothing is half-erased); their stored files are deleted once it commits. The audit entry
    holds the person's reference and the counts, not their data."""
    held = _gather(session, principal, query, store=store, key=key, lock=True)
    tally = erasure.erase(session, held)
    result = ErasureResult(
        reference=held.person.reference,
        erased_at=utcnow(),
        lead_ids=held.person.all_lead_ids,
        deleted=dict(sorted(tally.deleted.items())),
        anonymised=dict(sorted(tally.anonymised.items())),
        files_deleted=len(tally.file_keys),
    )
    audit.record(
        session,
        principal.workspace_id,
        principal,
        ERASED,
        target_type=TARGET,
        target_id=held.person.reference,
        details={
            "lead_ids": result.lead_ids,
            "deleted": result.deleted,
            "anonymised": result.anonymised,
            "files_deleted": result.files_deleted,
        },
        ip_address=ip_address,
    )
    if tally.file_keys:
        keys = list(tally.file_keys)
        event.listen(session, "after_commit", lambda _s: files.discard(store, keys), once=True)
    return result


def _gather(
    session: Session,
    principal: Principal,
    query: PersonQuery,
    *,
    store: BlobStore,
    key: str,
    lock: bool = False,
) -> Holdings:
    deferred.write_pending(session)  # this node's latest searches may name the person
    person: Person = resolve(session, principal.workspace_id, query, key=key, lock=lock)
    return holdings.gather(session, person, store)


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {kind: count for kind, count in counts.items() if count}
