"""`leadhub backup` and `leadhub restore`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from leadhub.backup.create import create
from leadhub.backup.manifest import BackupError
from leadhub.backup.restore import restore
from leadhub.cli.common import fail
from leadhub.config import Settings

# What a backup or restore may meet besides its own refusals: a full disk, a directory it may
# not write, a database that fails midway. Each stops the command, leaving nothing half-done.
UNEXPECTED = (BackupError, OSError, sqlite3.Error, SQLAlchemyError)


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if isinstance(exc, BackupError) else f"{type(exc).__name__}: {text}"


def backup_command(
    destination: Annotated[
        Path, typer.Argument(help="The archive to write, or a directory to write it in.")
    ],
) -> None:
    """Back up the database (online) and the data directory's files into one archive; prints
    the archive's path."""
    settings = Settings()
    try:
        done = create(settings, destination)
    except UNEXPECTED as exc:
        fail(_one_line(exc))
    manifest = done.manifest
    typer.echo(
        f"{manifest.database_kind} database at schema {manifest.schema_revision}, "
        f"secret key {manifest.secret_key}, "
        f"{done.media_files} media file{'' if done.media_files == 1 else 's'} "
        f"({done.media_bytes} bytes)"
    )
    typer.echo(str(done.path))


def restore_command(
    source: Annotated[Path, typer.Argument(help="An archive made by `leadhub backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the data the node holds already.")
    ] = False,
) -> None:
    """Restore an archive into the configured database and data directory, migrated to this
    version's schema; prints where the database is."""
    settings = Settings()
    try:
        done = restore(settings, source, force=force)
    except UNEXPECTED as exc:
        fail(_one_line(exc))
    for warning in done.warnings:
        typer.echo(f"warning: {warning}", err=True)
    manifest = done.manifest
    typer.echo(
        f"restored the backup of {manifest.created_at} (LeadHub {manifest.leadhub_version}, "
        f"schema {manifest.schema_revision}); schema now {','.join(done.revisions)}"
    )
    typer.echo(done.database)
