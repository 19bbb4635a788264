"""What counts as the database being unavailable: the one place every edge asks.

An unavailable database is a passing condition, not a bug: the request (or job) that met it is
rolled back whole and may be tried again in a moment, so the surfaces answer 503 with
`Retry-After` instead of a 500. It is:
- a connection that cannot be made or was lost (refused, reset, closed by a server shutting
  down or restarting, or terminated by an administrator), which SQLAlchemy also marks as an
  invalidated connection;
- no connection free in the pool within its timeout;
- on PostgreSQL, a server refusing work for now (starting up, shutting down, out of
  connections);
- on SQLite, a database still locked by another writer after the busy timeout (SQLite's own, or
  the writer gate's in `engine.py`, which fails the same way).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5

# PostgreSQL's SQLSTATEs of a server that cannot serve now: class 08 (connection exception),
# admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
_PG_UNAVAILABLE_CLASSES = ("08",)
_PG_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# SQLite's busy database: "database is locked" (SQLITE_BUSY), "database table is locked".
_SQLITE_BUSY_NAMES = ("SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_BUSY_TEXT = "is locked"
# How far down a chain of causes to look (an error raised while handling another).
_CHAIN_DEPTH = 5


def is_unavailable(exc: BaseException) -> bool:
    """Whether `exc`, or an error that caused it, says the database cannot serve right now."""
    seen: BaseException | None = exc
    for _ in range(_CHAIN_DEPTH):
        if seen is None:
            return False
        if isinstance(seen, BaseExceptionGroup):
            return any(is_unavailable(inner) for inner in seen.exceptions)
        if _says_unavailable(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe(exc: BaseException) -> str:
    """One line on why the database was unavailable, for the log (never shown to clients)."""
    original = getattr(exc, "orig", None) or exc
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return f"{type(original).__name__}: {first_line}" if first_line else type(original).__name__


def log_kept(log: logging.Logger, exc: BaseException, what: str) -> None:
    """A batch not written and kept for the next try: one line while the database restarts
    (expected), a trace for anything else."""
    if is_unavailable(exc):
        log.warning("%s kept for the next try: %s", what, describe(exc))
    else:
        log.exception("%s not written; kept for the next try", what)


def _says_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    return _driver_says_unavailable(exc.orig)


def _driver_says_unavailable(orig: BaseException | None) -> bool:
    if orig is None:
        return False
    if hasattr(orig, "sqlstate"):  # psycopg
        state = orig.sqlstate
        if state is None:
            # Raised by the client library itself: a connection that failed or broke.
            return _is_operational(orig)
        return state.startswith(_PG_UNAVAILABLE_CLASSES) or state in _PG_UNAVAILABLE_STATES
    name = getattr(orig, "sqlite_errorname", None)  # sqlite3
    if isinstance(name, str) and name.startswith(_SQLITE_BUSY_NAMES):
        return True
    return _is_operational(orig) and _SQLITE_BUSY_TEXT in str(orig)


def _is_operational(orig: BaseException) -> bool:
    """A DB-API OperationalError of any driver (each defines its own class of that name)."""
    return any(kind.__name__ == "OperationalError" for kind in type(orig).__mro__)
