"""Writing an export's file: stream the leads into a file, put it in the blob store, finish.

The leads are read a chunk at a time by keyset pagination in one read-only transaction, and
written a chunk at a time, so memory stays flat whatever the number of rows. The file never
holds more rows than were paid for: leads that arrived after the export was asked for are left
out, and an export that finds fewer rows gives back the credits of the missing ones.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, select, type_coerce
from sqlalchemy.orm import Session

from leadhub.db.uow import Database
from leadhub.domains.audit import service as audit
from leadhub.domains.credits import service as credits
from leadhub.domains.exports import repository as queries
from leadhub.domains.exports.schemas import (
    CONTENT_TYPES,
    DONE,
    FAILED,
    RUNNING,
    UNFINISHED,
    ExportInfo,
    filters_from_json,
)
from leadhub.domains.exports.service import info_of
from leadhub.domains.exports.tagging import TagNames
from leadhub.domains.exports.writer import open_writer
from leadhub.domains.jobs.registry import PermanentFailure
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit import attribution
from leadhub.kit.clock import utcnow
from leadhub.models import Lead, LeadExport, Workspace
from leadhub.storage.base import CHUNK_SIZE, BlobStore, InvalidKey

# Measured fastest: a larger chunk's rows live long enough to be walked by the garbage collector.
ROW_CHUNK = 500
MAX_FILE_SIZE = 20 * 1024**3
KEY_PREFIX = "exports"
# The columns read per lead, after its id: the writer's COLUMNS, the tags as their ids.
LEAD_COLUMNS: tuple[Any, ...] = (
    Lead.first_name,
    Lead.last_name,
    Lead.email,
    Lead.phone,
    Lead.company,
    Lead.job_title,
    Lead.city,
    Lead.state,
    Lead.region,
    Lead.country,
    Lead.source,
    Lead.status,
    queries.lead_tag_ids(),
    Lead.lead_score,
    Lead.value,
    # As the naive UTC the database keeps: the column type's step per row only adds the zone,
    # which the writer knows.
    type_coerce(Lead.created_at, DateTime()),
    *(getattr(Lead, name) for name in attribution.FIELDS),
)
_TAGS_AT = 13  # id and the twelve columns up to the status come first
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Target:
    export_id: int
    workspace_id: int
    filename: str
    extension: str
    row_count: int
    credits_spent: int
    file_key: str
    # None when the export was of a list that has since been deleted.
    filters: LeadFilters | None


def produce(
    database: Database,
    store: BlobStore,
    export_id: int,
    *,
    finish_in: Session | None = None,
    output: Path | None = None,
    scratch: Path | None = None,
    progress: Progress | None = None,
) -> ExportInfo | None:
    """Write the export's file, store it, and mark the export done; None when it needs nothing
    (finished already, or deleted).

    `finish_in` is the session the completion goes into (a job's, so it commits with the job);
    without it the completion commits on its own. With `output` the file is also left there.
    """
    target = _start(database, export_id)
    if target is None:
        return None
    if target.filters is None:
        raise PermanentFailure("The list of this export has been deleted.")
    with _file(output, scratch, target.filename) as path:
        written = _write(database, target, path, progress)
        blob = store.put(
            target.file_key,
            _read(path),
            max_size=MAX_FILE_SIZE,
            content_type=CONTENT_TYPES[target.extension],
        )
    if finish_in is not None:
        finished = _finish(finish_in, target, written, blob.size)
    else:
        with database.unit_of_work() as session:
            finished = _finish(session, target, written, blob.size)
    if finished is None and not _exists(database, export_id):  # deleted while being written
        _discard(store, target.file_key)
    return finished


def fail(database: Database, store: BlobStore, export_id: int, message: str) -> bool:
    """Mark an unfinished export failed and give its credits back; False when it was not
    unfinished (so a failure is refunded once)."""
    with database.unit_of_work() as session:
        record = queries.by_id(session, export_id)
        if record is None or record.status not in UNFINISHED:
            return False
        key = _key(session, record)
        values = {"message": message[:2000], "finished_at": utcnow()}
        if not queries.move(session, export_id, to=FAILED, **values):
            return False
        if record.credits_spent > 0:
            reason = f"export {record.filename} failed"
            credits.refund(session, record.workspace_id, record.credits_spent, reason)
        details = {"filename": record.filename, "message": message[:500]}
        audit.record(
            session,
            record.workspace_id,
            None,
            "export.failed",
            target_type="export",
            target_id=export_id,
            details=details,
        )
    _discard(store, key)
    return True


def _start(database: Database, export_id: int) -> Target | None:
    with database.unit_of_work() as session:
        record = queries.by_id(session, export_id)
        if record is None or not queries.move(session, export_id, to=RUNNING):
            return None
        if record.list_id is not None:
            filters: LeadFilters | None = LeadFilters(list_id=record.list_id)
        else:
            filters = None if record.filters is None else filters_from_json(record.filters)
        return Target(
            export_id=record.id,
            workspace_id=record.workspace_id,
            filename=record.filename,
            extension=record.extension,
            row_count=record.row_count,
            credits_spent=record.credits_spent,
            file_key=_key(session, record),
            filters=filters,
        )


def _write(database: Database, target: Target, path: Path, progress: Progress | None) -> int:
    assert target.filters is not None
    written = 0
    with database.unit_of_work(write=False) as session, open_writer(target.extension, path) as out:
        repo = LeadRepository(session, target.workspace_id)
        tags = TagNames(session, target.workspace_id)
        chunks = repo.stream_matching(
            target.filters, LEAD_COLUMNS, chunk_size=ROW_CHUNK, limit=target.row_count
        )
        for columns in chunks:
            columns[_TAGS_AT] = tags.of(columns[_TAGS_AT])
            out.write(columns)
            written += len(columns[0])
            if progress is not None:
                progress(written)
    return written


def _finish(session: Session, target: Target, written: int, size: int) -> ExportInfo | None:
    per_row = target.credits_spent // target.row_count if target.row_count else 0
    unpaid = (target.row_count - written) * per_row
    moved = queries.move(
        session,
        target.export_id,
        to=DONE,
        row_count=written,
        credits_spent=target.credits_spent - unpaid,
        file_key=target.file_key,
        file_size=size,
        finished_at=utcnow(),
        message=None,
    )
    if not moved:
        return None
    if unpaid > 0:
        missing = target.row_count - written
        reason = f"export {target.filename}: {missing} rows fewer than counted"
        credits.refund(session, target.workspace_id, unpaid, reason)
    record = queries.by_id(session, target.export_id)
    return info_of(record) if record is not None else None


def _exists(database: Database, export_id: int) -> bool:
    """Whether the export is still there (another run of it may have finished it first: its
    file, under the same key, stays)."""
    with database.unit_of_work(write=False) as session:
        return queries.by_id(session, export_id) is not None


def _key(session: Session, record: LeadExport) -> str:
    public_id = session.scalar(
        select(Workspace.public_id).where(Workspace.id == record.workspace_id)
    )
    return f"{KEY_PREFIX}/{public_id}/{record.uuid}/{record.filename}"


@contextmanager
def _file(output: Path | None, scratch: Path | None, filename: str) -> Iterator[Path]:
    if output is not None:
        yield output
        return
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch, prefix="export-") as directory:
        yield Path(directory) / filename


def _read(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _discard(store: BlobStore, key: str) -> None:
    with suppress(InvalidKey):  # nothing can be stored under a key the store refuses
        store.discard(key)
