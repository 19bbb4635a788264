"""SQLite: an online copy through SQLite's backup API, checks of a copy, and whether a file is
in use by a running node."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

from leadhub.backup.manifest import BackupError

# How long a copy waits for a writer that holds the database at the moment it starts.
BUSY_TIMEOUT_SECONDS = 30
# Files SQLite keeps beside a database in WAL mode; they belong to that database alone.
COMPANIONS = ("-wal", "-shm", "-journal")


def database_path(url: str) -> Path:
    """The file a SQLite URL names."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"the SQLite database {name or ':memory:'} is not a file to back up")
    return Path(name).resolve()


@contextlib.contextmanager
def _connected(
    path: Path, *, timeout: float = BUSY_TIMEOUT_SECONDS
) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of a live database, whatever other processes write meanwhile.

    The backup API copies every page in one step (`pages=-1`), inside one read transaction: in
    WAL mode writers go on, and the copy is the database as of that transaction's start. The
    copy leaves WAL mode, so it is one self-contained file.
    """
    if not source.is_file():
        raise BackupError(f"no database at {source}: nothing to back up")
    with _connected(source) as live, _connected(target) as copy:
        live.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")


def check_integrity(path: Path) -> None:
    with _connected(path) as connection:
        try:
            found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"the database copy is not a SQLite database ({exc})") from exc
    if found != ["ok"]:
        raise BackupError(f"the database copy failed its integrity check: {found[0]}")


def revisions(path: Path) -> tuple[str, ...]:
    """The schema revisions recorded in a copy."""
    with _connected(path) as connection:
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a LeadHub database (no schema revision)") from exc
    if not rows:
        raise BackupError(f"{path} is not a LeadHub database (no schema revision)")
    return tuple(sorted(str(row[0]) for row in rows))


def holds_data(path: Path) -> bool:
    """Whether the file holds anything a restore would lose: a workspace, or content that is
    not a LeadHub database at all. A migrated but empty database holds nothing."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with _connected(path, timeout=1) as connection:
        try:
            return connection.execute("SELECT 1 FROM workspaces LIMIT 1").fetchone() is not None
        except sqlite3.DatabaseError:
            tables = _tables(connection)
            return tables is None or bool(tables)


def _tables(connection: sqlite3.Connection) -> list[str] | None:
    try:
        return [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    except sqlite3.DatabaseError:
        return None


def ensure_unused(path: Path) -> None:
    """Refuse to replace a database that another process has open (a running node).

    In WAL mode every open connection holds a shared lock; a connection in exclusive locking
    mode gets its exclusive lock only when there is none.
    """
    if not path.exists():
        return
    with _connected(path, timeout=1) as connection:
        try:
            connection.execute("PRAGMA locking_mode=EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise BackupError(
                f"the database {path} is in use ({exc}): stop `leadhub serve` and "
                "`leadhub worker` before restoring"
            ) from exc


def companions(path: Path) -> list[Path]:
    """The WAL, shared-memory and journal files beside a database."""
    return [path.with_name(path.name + suffix) for suffix in COMPANIONS]
