"""Exports: a file of a list's leads or of any lead filter, written by a job.

Creating one counts the leads (one query) and spends `rows * Workspace.export_credit_cost`
credits in the same transaction, all or nothing: without enough credits nothing is recorded and
nothing spent. The job then writes the file (see producing.py); an export that fails for good
gives its credits back.
"""

from __future__ import annotations

import re
import uuid
from contextlib import suppress
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.audit import service as audit
from leadhub.domains.credits import service as credits
from leadhub.domains.exports.repository import ExportRepository
from leadhub.domains.exports.schemas import (
    CONTENT_TYPES,
    FORMATS,
    PENDING,
    UNFINISHED,
    ExportFile,
    ExportInfo,
    filters_to_json,
)
from leadhub.domains.jobs import service as jobs
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.repository import ListRepository
from leadhub.errors import Invalid, NotFound
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import LeadExport, Workspace
from leadhub.storage.base import BlobMissing, BlobStore, InvalidKey

JOB_KIND = "exports.run"
MAX_ATTEMPTS = 3
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def create_export(
    session: Session,
    principal: Principal,
    *,
    list_id: int | None = None,
    filters: LeadFilters | None = None,
    format: str = "csv",
    enqueue: bool = True,
    now: datetime | None = None,
) -> ExportInfo:
    """Start an export of a list, or of the leads a filter matches, and pay for it.

    Raises InsufficientCredits (nothing recorded, nothing spent) when the credits are short.
    With `enqueue` False the caller writes the file itself (the command line).
    """
    extension = _extension(format)
    stem, lead_filters, kept = _what(session, principal, list_id, filters)
    workspace_id = principal.workspace_id
    rows = LeadRepository(session, workspace_id).count_matching(lead_filters)
    moment = now or utcnow()
    filename = f"{stem}-{moment:%Y%m%d-%H%M%S}.{extension}"
    cost = rows * _cost_per_row(session, workspace_id)
    if cost > 0:
        credits.spend(session, workspace_id, cost, f"export {filename} ({rows} rows)")
    record = ExportRepository(session, workspace_id).add(
        LeadExport(
            uuid=str(uuid.uuid4()),
            list_id=list_id,
            filters=kept,
            filename=filename,
            extension=extension,
            status=PENDING,
            row_count=rows,
            credits_spent=cost,
            user_id=principal.user_id,
            api_key_id=principal.api_key_id,
            created_at=moment,
        )
    )
    session.flush()
    _announce(session, principal, record, enqueue=enqueue)
    return info_of(record)


def list_exports(session: Session, principal: Principal, *, page: PageRequest) -> Page[ExportInfo]:
    """The workspace's exports, newest first."""
    records, total = ExportRepository(session, principal.workspace_id).page(page)
    return Page(items=[info_of(record) for record in records], total=total, request=page)


def get_export(session: Session, principal: Principal, export_id: int) -> ExportInfo:
    """One export."""
    return info_of(_require(ExportRepository(session, principal.workspace_id), export_id))


def delete_export(
    session: Session, principal: Principal, export_id: int, *, store: BlobStore
) -> None:
    """Delete an export and, once that commits, its file. An export deleted before its file
    was written gives its credits back."""
    repo = ExportRepository(session, principal.workspace_id)
    # Locked: a job finishing it meanwhile waits, then finds it gone and drops its file.
    statement = repo.select(LeadExport).where(LeadExport.id == export_id).with_for_update()
    record = session.scalars(statement.execution_options(populate_existing=True)).first()
    if record is None:
        raise NotFound.of("Export")
    if record.status in UNFINISHED and record.credits_spent > 0:
        reason = f"export {record.filename} deleted before it was written"
        credits.refund(session, record.workspace_id, record.credits_spent, reason)
    key, details = record.file_key, {"filename": record.filename}
    session.delete(record)
    session.flush()
    audit.record(
        session,
        principal.workspace_id,
        principal,
        "export.deleted",
        target_type="export",
        target_id=export_id,
        details=details,
    )
    if key:
        _after_commit(session, lambda: _discard(store, key))


def open_file(
    session: Session, principal: Principal, export_id: int, *, store: BlobStore
) -> ExportFile:
    """An export's file to stream; NotFound until it is written."""
    return open_record(
        _require(ExportRepository(session, principal.workspace_id), export_id), store
    )


def open_record(record: LeadExport, store: BlobStore) -> ExportFile:
    if record.status != "done" or not record.file_key:
        raise NotFound("The export's file is not ready.")
    try:
        chunks = store.open(record.file_key)
    except (BlobMissing, InvalidKey) as exc:
        raise NotFound.of("File") from exc
    return ExportFile(
        filename=record.filename,
        content_type=CONTENT_TYPES[record.extension],
        size=record.file_size,
        chunks=chunks,
    )


def _announce(session: Session, principal: Principal, record: LeadExport, *, enqueue: bool) -> None:
    """The audit entry of a new export and, unless the caller writes it, its job."""
    details = {
        "filename": record.filename,
        "rows": record.row_count,
        "credits": record.credits_spent,
        "list_id": record.list_id,
    }
    audit.record(
        session,
        principal.workspace_id,
        principal,
        "export.created",
        target_type="export",
        target_id=record.id,
        details=details,
    )
    if enqueue:
        payload = {"export_id": record.id}
        jobs.enqueue(
            session,
            JOB_KIND,
            payload,
            workspace_id=principal.workspace_id,
            max_attempts=MAX_ATTEMPTS,
        )


def list_id_by_name(session: Session, principal: Principal, name: str) -> int:
    """The id of the workspace's list with this name (any case)."""
    found = ListRepository(session, principal.workspace_id).by_name(name.strip())
    if found is None:
        raise NotFound(f"List {name!r} not found.")
    return found.id


def info_of(record: LeadExport) -> ExportInfo:
    return ExportInfo(
        id=record.id,
        uuid=record.uuid,
        filename=record.filename,
        extension=record.extension,
        status=record.status,
        row_count=record.row_count,
        credits_spent=record.credits_spent,
        file_size=record.file_size,
        list_id=record.list_id,
        filters=record.filters,
        message=record.message,
        created_at=record.created_at,
        finished_at=record.finished_at,
    )


def _what(
    session: Session, principal: Principal, list_id: int | None, filters: LeadFilters | None
) -> tuple[str, LeadFilters, dict[str, Any] | None]:
    """The file name's stem, the leads' filter, and the filter kept on the record."""
    if list_id is not None:
        lead_list = lists.get_list(session, principal, list_id)
        return _slug(lead_list.name) or "list", LeadFilters(list_id=list_id), None
    lead_filters = filters or LeadFilters()
    if lead_filters.list_id is not None:
        lists.get_list(session, principal, lead_filters.list_id)
    # Always a dict, so a list export whose list was deleted is never taken for "every lead".
    return "leads", lead_filters, filters_to_json(lead_filters)


def _extension(format: str) -> str:
    extension = format.strip().lower()
    if extension not in FORMATS:
        raise Invalid.field("format", f"The format must be one of: {', '.join(FORMATS)}.")
    return extension


def _cost_per_row(session: Session, workspace_id: int) -> int:
    workspace = session.get(Workspace, workspace_id)
    return max(0, workspace.export_credit_cost) if workspace is not None else 0


def _slug(name: str) -> str:
    return _NOT_SLUG.sub("-", name.lower()).strip("-")[:60].strip("-")


def _require(repo: ExportRepository, export_id: int) -> LeadExport:
    record = repo.get(LeadExport, export_id)
    if record is None:
        raise NotFound.of("Export")
    return record


def _after_commit(session: Session, action: Any) -> None:
    event.listen(session, "after_commit", lambda _session: action(), once=True)


def _discard(store: BlobStore, key: str) -> None:
    with suppress(InvalidKey):  # nothing can be stored under a key the store refuses
        store.discard(key)
