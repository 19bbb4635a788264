"""`leadhub export`: the API's export, run in this process with a progress bar (no job queue).

It spends credits as every export does (and refuses, spending nothing, when they are short),
writes the file to `--output`, and keeps it among the workspace's downloads too.
"""

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
from leadhub.domains.exports import producing
from leadhub.domains.exports import service as exports
from leadhub.domains.exports.schemas import ExportInfo
from leadhub.domains.exports.tasks import failure_message, scratch_dir
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import LeadHubError
from leadhub.storage.base import BlobStore
from leadhub.storage.factory import store_from_settings


def export_leads(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    output: Annotated[Path, typer.Option(help="The file to write.")],
    list_name: Annotated[
        str | None, typer.Option("--list", help="Export this list (by name).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="Only leads with this status; commas for several.")
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="csv or xlsx (default: the output's extension, else csv)."),
    ] = None,
) -> None:
    """Export leads (a list, or every lead with a status) to a CSV or XLSX file; prints where
    the file is and how many rows it holds."""
    if not output.parent.is_dir():
        fail(f"cannot write {output}: no such directory")
    chosen = format_ or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
    settings = Settings()
    settings.ensure_data_dir()
    database = Database(settings.effective_database_url, busy_timeout=settings.sqlite_busy_timeout)
    store = store_from_settings(settings)
    try:
        upgrade(database.engine)
        created = _create(database, workspace, list_name, status, chosen)
        done = _run(database, store, created, output)
    except LeadHubError as exc:
        fail(describe(exc))
    finally:
        database.dispose()
    paid = f", {_count(done.credits_spent, 'credit')} spent" if done.credits_spent else ""
    typer.echo(f"{_count(done.row_count, 'row')} written to {output.resolve()}{paid}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _create(
    database: Database, slug: str, list_name: str | None, status: str | None, chosen: str
) -> ExportInfo:
    with database.unit_of_work() as session:
        target = workspaces.get_by_slug(session, slug)
        principal = Principal(
            workspace_id=target.id, workspace_slug=target.slug, scopes=frozenset({ALL})
        )
        list_id = exports.list_id_by_name(session, principal, list_name) if list_name else None
        statuses = [part.strip().lower() for part in (status or "").split(",") if part.strip()]
        if list_id is not None and not statuses:  # the file is named after the list
            return exports.create_export(
                session, principal, list_id=list_id, format=chosen, enqueue=False
            )
        filters = LeadFilters(statuses=statuses, list_id=list_id)
        return exports.create_export(
            session, principal, filters=filters, format=chosen, enqueue=False
        )


def _run(database: Database, store: BlobStore, created: ExportInfo, output: Path) -> ExportInfo:
    columns = (
        TextColumn("exporting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("export", total=created.row_count)
        try:
            done = producing.produce(
                database,
                store,
                created.id,
                output=output,
                scratch=scratch_dir(store),
                progress=lambda written: bar.update(task, completed=written),
            )
        except Exception as exc:
            producing.fail(database, store, created.id, failure_message(exc))
            fail(f"the export failed and its credits were refunded: {exc}")
    if done is None:
        fail("the export was deleted while it was written")
    return done
