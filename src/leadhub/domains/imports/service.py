"""Imports: an uploaded CSV or XLSX file of leads, read into a list as a job.

The file is checked (type, size, header row, mapping) when it arrives, kept in the blob store
while the import runs, and removed when it is done. `runner.run_import` does the reading.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import IO

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.imports import mapping as mappings
from leadhub.domains.imports import reader
from leadhub.domains.imports.repository import ImportRepository
from leadhub.domains.imports.schemas import (
    DEFAULT_SOURCE,
    ON_DUPLICATE,
    PREVIEW_ROWS,
    ImportOptions,
    ImportPreview,
    ImportRead,
    RowError,
)
from leadhub.domains.jobs import service as jobs
from leadhub.domains.leads.validation import normalize_label
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.repository import ListRepository
from leadhub.domains.lists.schemas import ListCreate
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import Conflict, Invalid, NotFound, PayloadTooLarge
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import LeadImport, LeadList
from leadhub.storage.base import CHUNK_SIZE, BlobMissing, BlobStore, BlobTooLarge

JOB_KIND = "imports.run"
DRAFT = "draft"  # uploaded in the web app, waiting for its mapping
_CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def create_import(
    session: Session,
    principal: Principal,
    *,
    upload: IO[bytes],
    filename: str,
    options: ImportOptions,
    store: BlobStore,
    max_bytes: int,
    start: bool = True,
    queue: bool = True,
) -> ImportRead:
    """Check and keep an uploaded file; with `start`, its import job is queued after commit
    (`queue=False`: the caller runs it in-process, as `leadhub import` does)."""
    name = _safe_filename(filename)
    fmt, headers = _inspect(upload, name, max_bytes)
    mapping = mappings.resolve(headers, options.mapping) if start else mappings.guess(headers)
    on_duplicate = _on_duplicate(options.on_duplicate)
    source = _source(options.source)
    list_id = _target_list(session, principal, options, default_name=PurePath(name).stem)
    workspace = workspaces.get(session, principal.workspace_id)
    key = f"imports/{workspace.public_id}/{uuid.uuid4().hex}/{name}"
    size = _keep(store, key, upload, fmt, max_bytes)
    record = ImportRepository(session, principal.workspace_id).add(
        LeadImport(
            list_id=list_id,
            filename=name,
            format=fmt,
            file_key=key,
            file_size=size,
            mapping=mapping,
            on_duplicate=on_duplicate,
            source=source,
            status="pending" if start else DRAFT,
            errors=[],
            user_id=principal.user_id,
            api_key_id=principal.api_key_id,
        )
    )
    session.flush()
    if start and queue:
        jobs.enqueue(session, JOB_KIND, {"import_id": record.id}, workspace_id=record.workspace_id)
    return read(record)


def start_import(
    session: Session,
    principal: Principal,
    import_id: int,
    *,
    mapping: dict[str, str],
    on_duplicate: str,
    store: BlobStore,
) -> ImportRead:
    """Start a draft import with the mapping chosen on the mapping page."""
    record = _require(ImportRepository(session, principal.workspace_id), import_id)
    if record.status != DRAFT:
        raise Conflict("This import has already started.")
    with opened(store, record) as table:
        record.mapping = mappings.resolve(table.headers, mapping)
    record.on_duplicate = _on_duplicate(on_duplicate)
    record.status = "pending"
    session.flush()
    jobs.enqueue(session, JOB_KIND, {"import_id": record.id}, workspace_id=record.workspace_id)
    return read(record)


def preview(
    session: Session, principal: Principal, import_id: int, *, store: BlobStore
) -> ImportPreview:
    """The file's columns, the current mapping, and its first rows (for the mapping page)."""
    record = _require(ImportRepository(session, principal.workspace_id), import_id)
    with opened(store, record) as table:
        rows = [row.cells for _, row in zip(range(PREVIEW_ROWS), table.rows, strict=False)]
        current = {header: record.mapping.get(header, "") for header in table.headers}
        return ImportPreview(headers=table.headers, mapping=current, rows=rows, total_rows=None)


def list_imports(session: Session, principal: Principal, *, page: PageRequest) -> Page[ImportRead]:
    """The workspace's imports, newest first."""
    records, total = ImportRepository(session, principal.workspace_id).page(page)
    return Page(items=[read(record) for record in records], total=total, request=page)


def get_import(session: Session, principal: Principal, import_id: int) -> ImportRead:
    """One import: its status, progress, counts and the rows that failed."""
    return read(_require(ImportRepository(session, principal.workspace_id), import_id))


def targets() -> tuple[str, ...]:
    """The lead fields a column may be mapped to (besides `custom_fields.<key>`)."""
    return mappings.TARGETS


def read(record: LeadImport) -> ImportRead:
    return ImportRead(
        id=record.id,
        status=record.status,
        filename=record.filename,
        format=record.format,
        file_size=record.file_size,
        list_id=record.list_id,
        mapping=dict(record.mapping or {}),
        on_duplicate=record.on_duplicate,
        source=record.source,
        total_rows=record.total_rows,
        processed_rows=record.processed_rows,
        created_count=record.created_count,
        updated_count=record.updated_count,
        skipped_count=record.skipped_count,
        failed_count=record.failed_count,
        errors=[RowError(**error) for error in record.errors or []],
        message=record.message,
        created_at=record.created_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
    )


def _require(repo: ImportRepository, import_id: int) -> LeadImport:
    record = repo.get_import(import_id)
    if record is None:
        raise NotFound.of("Import")
    return record


def _inspect(upload: IO[bytes], name: str, max_bytes: int) -> tuple[str, list[str]]:
    """The file's format and headers; Invalid (or PayloadTooLarge) says why it cannot be used."""
    size = upload.seek(0, 2)
    if size > max_bytes:
        raise _too_large(max_bytes)
    if size == 0:
        raise Invalid.field("file", "The file is empty.")
    upload.seek(0)
    head = upload.read(8)
    try:
        fmt = reader.detect_format(name, head)
        with reader.open_table(upload, fmt) as table:
            return fmt, table.headers
    except reader.UnreadableFile as exc:
        raise Invalid.field("file", str(exc)) from exc


def _keep(store: BlobStore, key: str, upload: IO[bytes], fmt: str, max_bytes: int) -> int:
    upload.seek(0)
    chunks = iter(lambda: upload.read(CHUNK_SIZE), b"")
    try:
        return store.put(key, chunks, max_size=max_bytes, content_type=_CONTENT_TYPES[fmt]).size
    except BlobTooLarge as exc:
        raise _too_large(max_bytes) from exc


def _too_large(max_bytes: int) -> PayloadTooLarge:
    megabytes = max_bytes / (1024 * 1024)
    shown = f"{megabytes:.0f} MB" if megabytes >= 1 else f"{max_bytes} bytes"
    return PayloadTooLarge(f"The file is larger than the {shown} an import accepts.")


def _safe_filename(filename: str) -> str:
    """The file's own name, reduced to characters safe in a storage key."""
    base = PurePath(filename.replace("\\", "/")).name.strip()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:120]
    if not safe:
        raise Invalid.field("file", "The file field is required.")
    return safe


def _on_duplicate(value: str) -> str:
    if value not in ON_DUPLICATE:
        raise Invalid.field("on_duplicate", "The on duplicate field must be update or skip.")
    return value


def _source(value: str | None) -> str:
    if value is None or not value.strip():
        return DEFAULT_SOURCE
    try:
        source = normalize_label(value)
    except ValueError as exc:
        raise Invalid.field("source", f"The source field {exc}.") from None
    if len(source) > 50:
        raise Invalid.field("source", "The source field must not be longer than 50 characters.")
    return source


def _target_list(
    session: Session, principal: Principal, options: ImportOptions, *, default_name: str
) -> int:
    """The list rows go into: by id, or by name (created when missing; the file's by default)."""
    repo = ListRepository(session, principal.workspace_id)
    if options.list_id is not None:
        if repo.get(LeadList, options.list_id) is None:
            raise Invalid.field("list_id", "The selected list id is invalid.")
        return options.list_id
    name = (options.list_name or "").strip() or default_name[:200]
    if len(name) > 200 or "\x00" in name:
        raise Invalid.field("list_name", "The list name must be 1 to 200 characters.")
    existing = repo.by_name(name)
    if existing is not None:
        return existing.id
    return lists.create_list(session, principal, data=ListCreate(name=name)).id


@contextmanager
def opened(store: BlobStore, record: LeadImport) -> Iterator[reader.Table]:
    """The stored file as a table; Invalid when it cannot be read."""
    try:
        with (
            downloaded(store, record.file_key) as local,
            reader.open_table(local, record.format) as t,
        ):
            yield t
    except reader.UnreadableFile as exc:
        raise Invalid.field("file", str(exc)) from exc


@contextmanager
def downloaded(store: BlobStore, key: str) -> Iterator[IO[bytes]]:
    """The stored file copied to a local temporary file (XLSX needs to seek), removed after."""
    with tempfile.TemporaryFile() as local:
        try:
            for chunk in store.open(key):
                local.write(chunk)
        except BlobMissing as exc:
            raise reader.UnreadableFile("The uploaded file is no longer stored.") from exc
        local.seek(0)
        yield local
