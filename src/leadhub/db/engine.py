"""Engines tuned per backend: SQLite pragmas (WAL, foreign keys, busy timeout), PostgreSQL pools."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

# SQLite's own wait for a busy database, and this process's wait for its writer gate.
BUSY_TIMEOUT_SECONDS = 30
_HOLDS_GATE = "leadhub_holds_writer_gate"


def make_engine(url: str, **overrides: Any) -> Engine:
    """Build the engine for a database URL, with the settings each backend needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **overrides)
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    options.update(overrides)
    return create_engine(url, **options)


def _sqlite_engine(url: str, **overrides: Any) -> Engine:
    options: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
        "pool_size": 20,
        "max_overflow": 20,
    }
    options.update(overrides)
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, so BEGIN IMMEDIATE below applies.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    gate = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writing unit of work takes the write lock at BEGIN (IMMEDIATE): in WAL mode a read
        # transaction that later upgrades fails at once when another writer got in between.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode != "IMMEDIATE":
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        _pass_gate(gate, connection.info)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _leave_gate(gate, connection.info)
            raise

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        # After the commit or rollback: the connection is back in the pool.
        _leave_gate(gate, record.info)

    return engine


def _pass_gate(gate: threading.Lock, info: dict[str, Any]) -> None:
    """Wait for this process's other writers in line, before SQLite's lock.

    SQLite lets one writer in at a time; the others poll, sleeping 1, 2, 5, … up to 100 ms between
    tries, so under concurrent writes most of a write's latency was that sleep (p99 above a second
    for 20 ms of work) while the database stood idle. Threads waiting on a lock are woken the
    moment it is free. Other processes (more workers, the command line) still meet at SQLite's
    lock, with its timeout.
    """
    if not gate.acquire(timeout=BUSY_TIMEOUT_SECONDS):
        # As SQLite's own timeout would fail, so callers handle one kind of busy database.
        raise OperationalError(
            "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
        )
    info[_HOLDS_GATE] = True


def _leave_gate(gate: threading.Lock, info: dict[str, Any]) -> None:
    if info.pop(_HOLDS_GATE, False):
        gate.release()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
