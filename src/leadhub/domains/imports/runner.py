"""Running an import: read the stored file and write its rows in batches, each batch committed
with the import's progress, so a run that dies resumes after the last committed batch.

Imported leads record no per-lead events (a file of 100,000 rows would otherwise fire as many
automations and webhooks); the import itself is one `import.completed` entry of the audit log.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db import maintenance
from leadhub.db.uow import Database
from leadhub.domains.audit import service as audit
from leadhub.domains.imports import parsing, reader, service
from leadhub.domains.imports.parsing import Outcomes
from leadhub.domains.imports.repository import ImportRepository
from leadhub.domains.imports.schemas import BATCH_SIZE, MAX_ERRORS, Progress
from leadhub.domains.imports.writer import Failed, Parsed, write_batch
from leadhub.domains.workspaces import service as workspaces
from leadhub.kit.clock import utcnow
from leadhub.models import LeadImport
from leadhub.storage.base import BlobStore

log = logging.getLogger("leadhub.imports")
ProgressCallback = Callable[[Progress], None]
# Tables an import grows and queries again for each batch's duplicates and list members.
_GROWN_TABLES = ("leads", "lead_tags", "list_members")
# A batch whose insert lost a race with another way in (intake, a form) is written again.
_ATTEMPTS = 3


class Superseded(Exception):
    """Another run of the same import has moved on: this one stops without writing."""


@dataclass(frozen=True)
class _Plan:
    """What a run needs to know about its import, read once at the start."""

    workspace_id: int
    import_id: int
    file_key: str
    format: str
    mapping: dict[str, str]
    on_duplicate: str
    source: str
    region: str
    checkpoint: int


def run_import(
    database: Database,
    store: BlobStore,
    workspace_id: int,
    import_id: int,
    *,
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    workers: int | None = None,
) -> None:
    """Run (or resume) an import to its end; a file that cannot be read fails it with a message.

    `max_batches` stops after that many batches (as a crash would), for tests and benchmarks;
    `workers` is how many processes check the rows (by default, as many as the cores for a large
    file, else this one).
    """
    plan = _begin(database, workspace_id, import_id)
    if plan is None:
        return
    try:
        with (
            service.downloaded(store, plan.file_key) as local,
            reader.open_table(local, plan.format, count=True) as table,
        ):
            _set_total(database, plan, table.total)
            if workers is None:
                left = None if table.total is None else table.total - plan.checkpoint
                workers = parsing.workers_for(left)
            finished = _run_batches(
                database, plan, table, on_progress, batch_size, max_batches, workers
            )
    except reader.UnreadableFile as exc:
        _finish(database, plan, store, failed=str(exc))
        return
    except Superseded:
        log.info("import %s is run elsewhere; this run stops", import_id)
        return
    if finished:
        _finish(database, plan, store, failed=None)
        # Thousands of new leads change what the query planner should know.
        maintenance.refresh_statistics_quietly(database.engine)


def _run_batches(
    database: Database,
    plan: _Plan,
    table: reader.Table,
    on_progress: ProgressCallback | None,
    batch_size: int,
    max_batches: int | None,
    workers: int,
) -> bool:
    """Write the rows after the checkpoint; False when stopped early by `max_batches`."""
    targets = [plan.mapping.get(header, "") for header in table.headers]
    rows = itertools.islice(table.rows, plan.checkpoint, None)
    batches = _batches(rows, batch_size)
    if max_batches is not None:
        batches = itertools.islice(batches, max_batches)
    written = plan.checkpoint
    checked = parsing.parsed_batches(batches, targets, plan.region, workers=workers)
    for number, outcomes in enumerate(checked, start=1):
        progress = _write(database, plan, outcomes, written)
        written += len(outcomes)
        if number & (number - 1) == 0:  # batches 1, 2, 4, 8…: the tables doubled, or so
            maintenance.refresh_grown(database.engine, _GROWN_TABLES)
        if on_progress is not None:
            on_progress(progress)
    # Stopped by `max_batches` unless the file had no more rows.
    return max_batches is None or next(rows, None) is None


def _begin(database: Database, workspace_id: int, import_id: int) -> _Plan | None:
    with database.unit_of_work() as session:
        record = ImportRepository(session, workspace_id).lock(import_id)
        if record is None or record.status not in ("pending", "running"):
            return None
        record.status = "running"
        record.started_at = record.started_at or utcnow()
        region = workspaces.default_region(session, workspace_id)
        return _Plan(
            workspace_id=workspace_id,
            import_id=import_id,
            file_key=record.file_key,
            format=record.format,
            mapping=dict(record.mapping or {}),
            on_duplicate=record.on_duplicate,
            source=record.source,
            region=region,
            checkpoint=record.processed_rows,
        )


def _set_total(database: Database, plan: _Plan, total: int | None) -> None:
    with database.unit_of_work() as session:
        record = _locked(session, plan)
        record.total_rows = total


def _batches(rows: Iterator[reader.Row], size: int) -> Iterator[list[reader.Row]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _write(database: Database, plan: _Plan, outcomes: Outcomes, written: int) -> Progress:
    """Write one batch and its progress in one transaction (retried when a race is lost)."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with database.unit_of_work() as session:
                return _write_in(session, plan, outcomes, written)
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
            log.info("import %s: a batch met a concurrent insert; writing it again", plan.import_id)
    raise AssertionError("unreachable")  # pragma: no cover


def _write_in(session: Session, plan: _Plan, outcomes: Outcomes, written: int) -> Progress:
    record = _locked(session, plan)
    if record.processed_rows != written:  # another run wrote these rows meanwhile
        raise Superseded()
    parsed = [outcome for outcome in outcomes if isinstance(outcome, Parsed)]
    failed = [outcome for outcome in outcomes if isinstance(outcome, Failed)]
    result = write_batch(
        session,
        plan.workspace_id,
        list_id=record.list_id,  # None once the list is deleted: the leads still go in
        rows=parsed,
        on_duplicate=plan.on_duplicate,
        source=plan.source,
        now=utcnow(),
    )
    record.processed_rows += len(outcomes)
    record.created_count += result.created
    record.updated_count += result.updated
    record.skipped_count += result.skipped
    record.failed_count += len(failed)
    room = MAX_ERRORS - len(record.errors or [])
    if room > 0 and failed:
        extra = [{"line": item.line, "reason": item.reason} for item in failed[:room]]
        record.errors = [*(record.errors or []), *extra]
    session.flush()
    return _progress(record)


def _locked(session: Session, plan: _Plan) -> LeadImport:
    """The import, locked; Superseded when another run has moved it since this one read it."""
    record = ImportRepository(session, plan.workspace_id).lock(plan.import_id)
    if record is None or record.status != "running":
        raise Superseded()
    return record


def _finish(database: Database, plan: _Plan, store: BlobStore, *, failed: str | None) -> None:
    with database.unit_of_work() as session:
        record = ImportRepository(session, plan.workspace_id).lock(plan.import_id)
        if record is None or record.status != "running":
            return
        record.status = "failed" if failed else "done"
        record.message = failed
        record.finished_at = utcnow()
        if not failed:
            record.total_rows = record.processed_rows
        audit.record(
            session,
            plan.workspace_id,
            _starter(session, record),
            "import.failed" if failed else "import.completed",
            target_type="import",
            target_id=record.id,
            details=_details(record),
        )
    store.delete(plan.file_key)


def _starter(session: Session, record: LeadImport) -> Principal | None:
    """Who started the import, as the audit log names them."""
    if record.user_id is None and record.api_key_id is None:
        return None
    slug = workspaces.get(session, record.workspace_id).slug
    return Principal(
        workspace_id=record.workspace_id,
        workspace_slug=slug,
        scopes=frozenset(),
        user_id=record.user_id,
        api_key_id=record.api_key_id,
    )


def _details(record: LeadImport) -> dict[str, Any]:
    return {
        "filename": record.filename,
        "list_id": record.list_id,
        "rows": record.processed_rows,
        "created": record.created_count,
        "updated": record.updated_count,
        "skipped": record.skipped_count,
        "failed": record.failed_count,
        "message": record.message,
    }


def _progress(record: LeadImport) -> Progress:
    return Progress(
        total_rows=record.total_rows,
        processed_rows=record.processed_rows,
        created=record.created_count,
        updated=record.updated_count,
        skipped=record.skipped_count,
        failed=record.failed_count,
    )
