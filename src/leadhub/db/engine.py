"""Engines tuned per backend: SQLite pragmas (WAL, foreign keys, busy timeout), PostgreSQL pools.

A PostgreSQL connection lost while pooled (a server restart, a network cut) is found in two ways,
neither costing the busy path a round trip: a connection that sat unused for a while is pinged
before use and replaced, with every other pooled connection as old, when it is dead; one that
breaks in use fails its request (the database is unavailable: a 503) and SQLAlchemy then drops
every connection made before it, so the next requests connect afresh. SQLAlchemy's own
`pool_pre_ping` pings on every checkout: measured, 0.06 ms more of this process's CPU per checkout
(0.07 instead of 0.01) and a round trip's wait, where a request checks out two connections or
more; the idle check adds a few microseconds.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InvalidatePoolError, OperationalError

# SQLite's own wait for a busy database, and this process's wait for its writer gate (the
# default of LEADHUB_SQLITE_BUSY_TIMEOUT).
BUSY_TIMEOUT_SECONDS = 30.0
# A PostgreSQL connection unused for this long is pinged before it is used again.
PING_AFTER_IDLE_SECONDS = 1.0
# How long making a new PostgreSQL connection may take before the database counts as unavailable.
CONNECT_TIMEOUT_SECONDS = 10
_HOLDS_GATE = "leadhub_holds_writer_gate"
_IDLE_SINCE = "leadhub_idle_since"


def make_engine(
    url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS, **overrides: Any
) -> Engine:
    """Build the engine for a database URL, with the settings each backend needs.

    `busy_timeout` is how long a SQLite writer waits for the write lock before giving up.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout, **overrides)
    options: dict[str, Any] = {"pool_size": 10, "max_overflow": 20}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    options.update(overrides)
    engine = create_engine(url, **options)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Ping a pooled connection before use only when it sat unused (see the module's docstring)."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop(_IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            # Dead: the pool connects afresh, and drops every connection as old as this one.
            raise InvalidatePoolError(f"a pooled connection was found dead: {exc}") from exc


def _sqlite_engine(url: str, busy_timeout: float, **overrides: Any) -> Engine:
    options: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": busy_timeout},
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
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
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
        _pass_gate(gate, connection.info, busy_timeout)
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


def _pass_gate(gate: threading.Lock, info: dict[str, Any], timeout: float) -> None:
    """Wait for this process's other writers in line, before SQLite's lock.

    SQLite lets one writer in at a time; the others poll, sleeping 1, 2, 5, … up to 100 ms between
    tries, so under concurrent writes most of a write's latency was that sleep (p99 above a second
    for 20 ms of work) while the database stood idle. Threads waiting on a lock are woken the
    moment it is free. Other processes (more workers, the command line) still meet at SQLite's
    lock, with its timeout.
    """
    if not gate.acquire(timeout=timeout):
        raise busy_database()
    info[_HOLDS_GATE] = True


def busy_database() -> OperationalError:
    """The error of SQLite's own busy timeout, for the waits in front of its lock: callers handle
    one kind of busy database."""
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


def _leave_gate(gate: threading.Lock, info: dict[str, Any]) -> None:
    if info.pop(_HOLDS_GATE, False):
        gate.release()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
