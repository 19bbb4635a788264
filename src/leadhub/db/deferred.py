"""Rows a request notes in passing, written by the node in batches after its transaction commits.

A read (a search, say) that must leave a record behind would otherwise turn its read transaction
into a write: on SQLite it then waits for the one writer, or is refused outright when another
writer committed since it began reading, and the record is lost. Instead the session remembers
the row (`later`); once the session commits, the Database hands it to its `DeferredRows`, which
inserts what has gathered in one transaction every `flush_seconds`, whenever `max_pending` rows
wait, and when the node stops. Until the buffer is started (a command, a test without the app's
lifespan) every commit's rows are written at once.

Whoever reads or rewrites such rows first writes the pending ones into its own transaction
(`write_pending`): a reader sees every record this node made, and an erasure finds them all. Rows
another node has not written yet are not seen; they wait at most one flush interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from leadhub.db.availability import describe, log_kept
from leadhub.kit.periodic import BatchWriter

FLUSH_SECONDS = 2.0
MAX_PENDING = 200
# Past this many rows waiting (the database down for long), the oldest are dropped.
MAX_KEPT = 20_000
_NOTED = "leadhub.deferred_rows"
_TAKEN = "leadhub.deferred_rows_taken"
BUFFER = "leadhub.deferred_buffer"
log = logging.getLogger("leadhub.deferred")

Row = tuple[Table, dict[str, Any]]
UnitOfWork = Callable[[], AbstractContextManager[Session]]


def later(session: Session, table: Table, row: dict[str, Any]) -> None:
    """Insert this row once the session's transaction commits (dropped if it rolls back)."""
    session.info.setdefault(_NOTED, []).append((table, row))


def noted(session: Session) -> list[Row]:
    """The rows the session noted, forgotten by it (the Database calls this at commit)."""
    rows: list[Row] = session.info.pop(_NOTED, [])
    return rows


def write_pending(session: Session) -> int:
    """Insert every row the node holds for later into this session's transaction, so what the
    session reads next includes them; if it rolls back, they go back to the buffer.

    In a read transaction on SQLite the insert can be refused (another writer got in first):
    the rows then stay in the buffer, and the session reads on without them.
    """
    buffer: DeferredRows | None = session.info.get(BUFFER)
    if buffer is None:
        return 0
    rows = buffer.take()
    if not rows:
        return 0
    try:
        with session.begin_nested():
            _insert(session, rows)
    except OperationalError as exc:
        buffer.put_back(rows)
        log.warning("%d noted rows left for the next batch: %s", len(rows), describe(exc))
        return 0
    session.info.setdefault(_TAKEN, []).extend(rows)
    return len(rows)


def taken_back(session: Session) -> list[Row]:
    """The rows `write_pending` took into a transaction that rolled back."""
    rows: list[Row] = session.info.pop(_TAKEN, [])
    return rows


def forget_taken(session: Session) -> None:
    session.info.pop(_TAKEN, None)


def _insert(session: Session, rows: list[Row]) -> None:
    by_table: defaultdict[Table, list[dict[str, Any]]] = defaultdict(list)
    for table, row in rows:
        by_table[table].append(row)
    for table, values in by_table.items():
        session.execute(insert(table), values)


class DeferredRows(BatchWriter):
    """One node's rows waiting to be written."""

    def __init__(
        self,
        unit_of_work: UnitOfWork,
        *,
        flush_seconds: float = FLUSH_SECONDS,
        max_pending: int = MAX_PENDING,
        max_kept: int = MAX_KEPT,
    ) -> None:
        super().__init__("leadhub-deferred", flush_seconds, log)
        self.unit_of_work = unit_of_work
        self.max_pending, self.max_kept = max_pending, max_kept
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._pending: list[Row] = []
        self._last_flush = time.monotonic()

    def add(self, rows: list[Row]) -> None:
        """Rows of a committed transaction: written now when the buffer is not running, else
        with the next batch."""
        if not rows:
            return
        with self._lock:
            self._pending.extend(rows)
            self._trim()
            due = len(self._pending) >= self.max_pending or (
                time.monotonic() - self._last_flush >= self.flush_seconds
            )
        if due or not self.running:
            self.flush(wait=not self.running)

    def take(self) -> list[Row]:
        with self._lock:
            taken, self._pending = self._pending, []
        return taken

    def put_back(self, rows: list[Row]) -> None:
        if not rows:
            return
        with self._lock:
            self._pending[:0] = rows
            self._trim()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _flush(self) -> int:
        with self._lock:
            self._last_flush = time.monotonic()
        rows = self.take()
        if not rows:
            return 0
        try:
            with self.unit_of_work() as session:
                _insert(session, rows)
        except IntegrityError:  # a row's workspace (or key, user) is gone: write the others
            return self._write_each(rows)
        except SQLAlchemyError as exc:
            log_kept(log, exc, f"{len(rows)} noted rows")
            self.put_back(rows)
            return 0
        return len(rows)

    def _write_each(self, rows: list[Row]) -> int:
        written = 0
        for index, row in enumerate(rows):
            try:
                with self.unit_of_work() as session:
                    _insert(session, [row])
            except IntegrityError:
                log.warning("a noted %s row was dropped: what it refers to is gone", row[0].name)
                continue
            except SQLAlchemyError:
                self.put_back(rows[index:])
                raise
            written += 1
        return written

    def _trim(self) -> None:
        excess = len(self._pending) - self.max_kept
        if excess > 0:
            del self._pending[:excess]
            log.warning("%d noted rows dropped: the database has not taken them for long", excess)
