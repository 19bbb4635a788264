"""`leadhub import FILE`: the web app's and the API's import, run in this process with a progress
bar (no job queue), for files on the machine LeadHub runs on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import ALL
from leadhub.cli.common import describe, fail
from leadhub.config import Settings
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.imports import runner
from leadhub.domains.imports import service as imports
from leadhub.domains.imports.schemas import ImportOptions, ImportRead
from leadhub.domains.imports.schemas import Progress as ImportProgress
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import LeadHubError
from leadhub.storage.base import BlobStore
from leadhub.storage.factory import store_from_settings

SHOWN_ERRORS = 10


def import_file(
    file: Annotated[Path, typer.Argument(help="A CSV or XLSX file.")],
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    list_name: Annotated[
        str | None, typer.Option("--list", help="List to import into (created when missing).")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="HEADER=FIELD over the guessed mapping; repeat for several."),
    ] = None,
    on_duplicate: Annotated[
        str, typer.Option(help="update (fill empty fields) or skip an existing lead.")
    ] = "update",
    source: Annotated[str | None, typer.Option(help="Source of the new leads (import).")] = None,
) -> None:
    """Import leads from a CSV or XLSX file; prints the counts and the first failed rows."""
    if not file.is_file():
        fail(f"cannot read {file}: no such file")
    options = ImportOptions(
        list_name=list_name, mapping=_mapping(map_ or []), on_duplicate=on_duplicate, source=source
    )
    settings = Settings()
    settings.ensure_data_dir()
    database = Database(settings.effective_database_url, busy_timeout=settings.sqlite_busy_timeout)
    store = store_from_settings(settings)
    try:
        upgrade(database.engine)
        principal, created = _create(database, store, settings, file, workspace, options)
        _run(database, store, principal, created)
        with database.unit_of_work(write=False) as session:
            done = imports.get_import(session, principal, created.id)
    except LeadHubError as exc:
        fail(describe(exc))
    finally:
        database.dispose()
    _report(done)


def _create(
    database: Database,
    store: BlobStore,
    settings: Settings,
    file: Path,
    slug: str,
    options: ImportOptions,
) -> tuple[Principal, ImportRead]:
    with database.unit_of_work() as session, file.open("rb") as handle:
        target = workspaces.get_by_slug(session, slug)
        principal = Principal(
            workspace_id=target.id, workspace_slug=target.slug, scopes=frozenset({ALL})
        )
        created = imports.create_import(
            session,
            principal,
            upload=handle,
            filename=file.name,
            options=options,
            store=store,
            max_bytes=settings.import_max_bytes,
            queue=False,
        )
        return principal, created


def _run(database: Database, store: BlobStore, principal: Principal, created: ImportRead) -> None:
    console = Console(stderr=True)
    columns = (
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("import", total=None)

        def advance(progress: ImportProgress) -> None:
            bar.update(task, completed=progress.processed_rows, total=progress.total_rows)

        runner.run_import(database, store, principal.workspace_id, created.id, on_progress=advance)


def _report(done: ImportRead) -> None:
    if done.status == "failed":
        fail(done.message or "the file cannot be read")
    typer.echo(
        f"{done.processed_rows} rows: {done.created_count} created, {done.updated_count} updated,"
        f" {done.skipped_count} skipped, {done.failed_count} failed"
    )
    for error in done.errors[:SHOWN_ERRORS]:
        typer.echo(f"line {error.line}: {error.reason}")
    if done.failed_count > SHOWN_ERRORS:
        typer.echo(f"… and {done.failed_count - SHOWN_ERRORS} more failed rows")


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, separator, target = pair.rpartition("=")
        if not separator or not header.strip():
            fail(f"--map takes HEADER=FIELD, not {pair!r}")
        mapping[header.strip()] = target.strip()
    return mapping or None
