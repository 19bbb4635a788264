"""PostgreSQL: `pg_dump` in its custom format, and `pg_restore` in one transaction.

The client tools are PostgreSQL's own: they know every object type and version, which a copy
through SQLAlchemy would not. They are looked up on PATH; without them the README's "Backup and
restore" section shows the same commands to run by hand.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from leadhub.backup.manifest import BackupError

MANUAL = 'run pg_dump and pg_restore by hand as the README\'s "Backup and restore" section shows'
# A restore waits this long for locks that running nodes hold, then gives up (and changes nothing).
LOCK_TIMEOUT = "10s"
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def require_tools(*names: str) -> None:
    """Fail before any work when a client tool is missing."""
    for name in names:
        _tool(name)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools "
            f"(the server's major version or newer), or {MANUAL}"
        )
    return found


def _connection(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection string of a SQLAlchemy URL, and the environment with its password
    (kept off the command line, where other users of the machine could read it)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1].strip() if lines else f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {reason}")
    return done.stdout


def dump(url: str, target: Path) -> None:
    """The whole database in pg_dump's custom format (one consistent snapshot)."""
    dsn, env = _connection(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}", dsn]
    _run(command, env, "pg_dump")


def tables_in(dump_file: Path) -> set[str]:
    """The tables a dump creates, from its table of contents."""
    listing = _run([_tool("pg_restore"), "--list", str(dump_file)], {**os.environ}, "pg_restore")
    return {match.group(2) for line in listing.splitlines() if (match := _TOC_TABLE.match(line))}


def restore(url: str, dump_file: Path) -> None:
    """Replace what the dump holds, in one transaction: on any error nothing changes.

    Objects become the connecting role's (`--no-owner`), so a dump restores under another role.
    """
    dsn, env = _connection(url)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    command = [
        _tool("pg_restore"),
        "--single-transaction",
        "--exit-on-error",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--no-password",
        f"--dbname={dsn}",
        str(dump_file),
    ]
    _run(command, env, "pg_restore")


def revisions(url: str) -> tuple[str, ...]:
    rows = _query(url, "SELECT version_num FROM alembic_version")
    if rows is None or not rows:
        raise BackupError("the database is not a LeadHub database (no schema revision)")
    return tuple(sorted(str(row) for row in rows))


def holds_data(url: str) -> bool:
    """Whether the database holds a workspace, or tables that are not LeadHub's at all."""
    rows = _query(url, "SELECT 1 FROM workspaces LIMIT 1")
    if rows is not None:
        return bool(rows)
    return bool(table_names(url))


def table_names(url: str) -> set[str]:
    engine = create_engine(url, pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    except DBAPIError as exc:
        raise BackupError(f"the database does not answer: {_first_line(exc)}") from exc
    finally:
        engine.dispose()


def all_empty(url: str, names: set[str]) -> bool:
    engine = create_engine(url, pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            preparer = connection.dialect.identifier_preparer
            for name in sorted(names):
                found = connection.execute(text(f"SELECT 1 FROM {preparer.quote(name)} LIMIT 1"))
                if found.first() is not None:
                    return False
        return True
    finally:
        engine.dispose()


def drop_tables(url: str, names: set[str]) -> None:
    engine = create_engine(url, pool_pre_ping=False)
    try:
        with engine.begin() as connection:
            preparer = connection.dialect.identifier_preparer
            for name in sorted(names):
                connection.execute(text(f"DROP TABLE IF EXISTS {preparer.quote(name)} CASCADE"))
    finally:
        engine.dispose()


def _query(url: str, statement: str) -> list[object] | None:
    """The first column of the rows, or None when the statement names a missing table."""
    engine = create_engine(url, pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(statement)).scalars())
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42P01":  # undefined_table
            return None
        raise BackupError(f"the database does not answer: {_first_line(exc)}") from exc
    finally:
        engine.dispose()


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__


def describe(url: str) -> str:
    """The URL without its password, to print."""
    return make_url(url).render_as_string(hide_password=True)
