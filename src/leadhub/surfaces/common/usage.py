"""This node's meter of API calls: counted in memory, written in batches, checked against the
workspace's monthly quota.

Answering a request never writes to the database: calls add to a per-process buffer, which is
added to `api_usage` (one upsert, `calls = calls + n`) every few seconds, whenever it holds
`max_pending` calls, and when the node stops. A workspace's calls this month are the stored ones
(read at most once per `refresh_seconds` per workspace) plus this node's unflushed ones; the calls
other nodes have not flushed yet are not seen, so with N nodes a workspace may overshoot its quota
by what they count in one flush interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from leadhub.db.availability import log_kept
from leadhub.db.uow import Database
from leadhub.domains.account import usage
from leadhub.kit.clock import utcnow
from leadhub.kit.periodic import BatchWriter

FLUSH_SECONDS = 5.0
MAX_PENDING = 200
log = logging.getLogger("leadhub.usage")
Key = tuple[int, int, str]  # (workspace id, key id, month)


class UsageMeter(BatchWriter):
    def __init__(
        self,
        db: Database,
        *,
        flush_seconds: float = FLUSH_SECONDS,
        max_pending: int = MAX_PENDING,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__("leadhub-usage", flush_seconds, log)
        self.db = db
        self.flush_seconds = flush_seconds
        self.max_pending = max_pending
        self.clock = clock
        self._lock = threading.Lock()
        self._pending: defaultdict[Key, int] = defaultdict(int)
        self._pending_total = 0
        self._last_flush = time.monotonic()
        # (workspace id, month) -> (stored calls, when read); `_generation` moves on each flush,
        # so a read that raced a flush is not cached.
        self._stored: dict[tuple[int, str], tuple[int, float]] = {}
        self._generation = 0

    # -- counting ------------------------------------------------------------------------

    def count(self, workspace_id: int, key_id: int) -> None:
        """One answered API call of this key, this month."""
        with self._lock:
            self._pending[(workspace_id, key_id, usage.month_of(self.clock()))] += 1
            self._pending_total += 1
            due = self._pending_total >= self.max_pending or self._overdue()
        if due:
            try:
                self.flush(wait=False)
            except Exception:  # counting never fails the request it counts
                log.exception("API usage: a flush failed")

    def month_calls(self, workspace_id: int) -> int:
        """The workspace's calls this month: stored, plus this node's not flushed yet."""
        month = usage.month_of(self.clock())
        return self._stored_calls(workspace_id, month) + self.unflushed(workspace_id, month)

    def unflushed(self, workspace_id: int, month: str | None = None) -> int:
        """This node's calls of the workspace in the month (this one) not stored yet."""
        return sum(self.unflushed_by_key(workspace_id, month).values())

    def unflushed_by_key(self, workspace_id: int, month: str | None = None) -> dict[int, int]:
        """This node's calls per key of the workspace in the month that are not stored yet."""
        month = month or usage.month_of(self.clock())
        with self._lock:
            return {
                key_id: calls
                for (ws, key_id, in_month), calls in self._pending.items()
                if ws == workspace_id and in_month == month
            }

    # -- writing -------------------------------------------------------------------------

    def _flush(self) -> int:
        with self._lock:
            taken, self._pending = dict(self._pending), defaultdict(int)
            self._pending_total = 0
            self._last_flush = time.monotonic()
        if not taken:
            return 0
        try:
            with self.db.unit_of_work() as session:
                usage.add_calls(session, taken)
        except IntegrityError:  # a key (or its workspace) is gone: write the others one by one
            taken = self._write_each(taken)
        except SQLAlchemyError as exc:
            log_kept(log, exc, f"API usage: {sum(taken.values())} calls")
            self._put_back(taken)
            return 0
        self._stored_moved(taken)
        return sum(taken.values())

    def _write_each(self, taken: dict[Key, int]) -> dict[Key, int]:
        written = {}
        for key, calls in taken.items():
            try:
                with self.db.unit_of_work() as session:
                    usage.add_calls(session, {key: calls})
            except IntegrityError:
                log.warning("API usage: %d calls of a deleted key were dropped", calls)
                continue
            written[key] = calls
        return written

    def _put_back(self, taken: dict[Key, int]) -> None:
        with self._lock:
            for key, calls in taken.items():
                self._pending[key] += calls
                self._pending_total += calls

    def _stored_moved(self, taken: dict[Key, int]) -> None:
        """What was just written is stored now: the cached stored totals include it."""
        with self._lock:
            self._generation += 1
            for (workspace_id, _key_id, month), calls in taken.items():
                cached = self._stored.get((workspace_id, month))
                if cached is not None:
                    self._stored[(workspace_id, month)] = (cached[0] + calls, cached[1])

    def _stored_calls(self, workspace_id: int, month: str) -> int:
        with self._lock:
            cached = self._stored.get((workspace_id, month))
            generation = self._generation
        if cached is not None and time.monotonic() - cached[1] < self.flush_seconds:
            return cached[0]
        with self.db.unit_of_work(write=False) as session:
            stored = usage.month_calls(session, workspace_id, month)
        with self._lock:
            if generation == self._generation:
                self._stored[(workspace_id, month)] = (stored, time.monotonic())
        return stored

    def _overdue(self) -> bool:
        return time.monotonic() - self._last_flush >= self.flush_seconds
