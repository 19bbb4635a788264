"""A consumer's heartbeat: while it runs jobs, it renews their lease on their rows.

A job's lease is short (a minute by default) so that the jobs of a consumer killed mid-run are
picked up soon after a restart; the beat keeps a long job (an import, an export) from being
taken for dead while it works. The beat is its own short transaction, apart from the job's.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from leadhub.db.uow import Database
from leadhub.domains.jobs import service as jobs
from leadhub.kit.clock import Clock

log = logging.getLogger("leadhub.jobs")
BEATS_PER_LEASE = 4


class Heartbeat:
    def __init__(self, db: Database, lease: timedelta, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._interval = lease.total_seconds() / BEATS_PER_LEASE
        # A count, not a set: two deliveries of one job may overlap (the second finds it claimed).
        self._running: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def running(self, job_id: int) -> Iterator[None]:
        """Beat for this job while the block runs."""
        with self._lock:
            self._running[job_id] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[job_id] -= 1
                if self._running[job_id] <= 0:
                    del self._running[job_id]

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopped.clear()
        self._thread = threading.Thread(
            target=self._loop, name="leadhub-job-heartbeat", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=self._interval + 5)
            self._thread = None

    def beat(self) -> None:
        """Renew the lease of every job running here now (one short transaction)."""
        with self._lock:
            job_ids = sorted(self._running)
        if not job_ids:
            return
        with self._db.unit_of_work() as session:
            jobs.beat(session, job_ids, now=self._clock())

    def _loop(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                self.beat()
            except Exception:  # the next beat tries again; a lease is several beats long
                log.exception("job heartbeat failed")
