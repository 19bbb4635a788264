"""Starting and running imports in tests, and reading back what they wrote."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.imports import runner
from leadhub.domains.imports import service as imports
from leadhub.domains.imports.schemas import ImportOptions, ImportRead
from leadhub.models import Lead, LeadTag, ListMember, Tag
from leadhub.storage.base import BlobStore
from tests.factories import Workspace

MAX_BYTES = 10 * 1024 * 1024


def start(
    db: Database,
    workspace: Workspace,
    store: BlobStore,
    content: bytes,
    filename: str = "leads.csv",
    **options: Any,
) -> ImportRead:
    """Upload a file as the API does (the job is queued, not run)."""
    with db.unit_of_work() as session:
        return imports.create_import(
            session,
            workspace.principal(),
            upload=io.BytesIO(content),
            filename=filename,
            options=ImportOptions(**options),
            store=store,
            max_bytes=MAX_BYTES,
        )


def run(db: Database, workspace: Workspace, store: BlobStore, import_id: int, **kw: Any) -> None:
    runner.run_import(db, store, workspace.id, import_id, **kw)


def import_file(
    db: Database,
    workspace: Workspace,
    store: BlobStore,
    content: bytes,
    filename: str = "leads.csv",
    **options: Any,
) -> ImportRead:
    """Upload and run an import to its end; its final state."""
    started = start(db, workspace, store, content, filename, **options)
    run(db, workspace, store, started.id)
    return state(db, workspace, started.id)


def state(db: Database, workspace: Workspace, import_id: int) -> ImportRead:
    with db.unit_of_work(write=False) as session:
        return imports.get_import(session, workspace.principal(), import_id)


def leads(db: Database, workspace: Workspace) -> list[Lead]:
    with db.unit_of_work(write=False) as session:
        statement = select(Lead).where(Lead.workspace_id == workspace.id).order_by(Lead.id)
        return list(session.scalars(statement))


def by_email(db: Database, workspace: Workspace) -> dict[str | None, Lead]:
    return {lead.email: lead for lead in leads(db, workspace)}


def members(db: Database, list_id: int) -> set[int]:
    with db.unit_of_work(write=False) as session:
        return set(session.scalars(select(ListMember.lead_id).where(ListMember.list_id == list_id)))


def tag_names(db: Database, lead_id: int) -> list[str]:
    with db.unit_of_work(write=False) as session:
        statement = (
            select(Tag.name)
            .join(LeadTag, LeadTag.tag_id == Tag.id)
            .where(LeadTag.lead_id == lead_id)
            .order_by(Tag.name)
        )
        return list(session.scalars(statement))


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path
