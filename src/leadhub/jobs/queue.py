"""The job queue of one node: huey on a SQLite file in the data directory, or on Redis.

Only job ids travel through huey; the `jobs` table is the truth. A periodic sweep hands over jobs
whose hand-over was lost (a crash right after commit) and jobs whose worker died; hourly purges
remove media uploads whose URL expired before a file arrived and the recorded answers of
idempotency keys past their 24 hours, and another task refreshes the query planner's statistics.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

import leadhub.domains.tasks  # noqa: F401  (registers every domain's job handlers)
from leadhub.config import Settings
from leadhub.db import maintenance
from leadhub.db.availability import describe, is_unavailable
from leadhub.db.uow import Database
from leadhub.domains.idempotency import service as idempotency
from leadhub.domains.jobs import service as jobs
from leadhub.domains.media import service as media
from leadhub.jobs.heartbeat import Heartbeat
from leadhub.jobs.probe import QueueProbe, QueueStatus
from leadhub.jobs.runner import Capabilities, Outcome, run_one
from leadhub.kit.logs import connection_failure, job_context
from leadhub.storage.base import BlobStore
from leadhub.storage.factory import store_from_settings

log = logging.getLogger("leadhub.jobs")
CONSUMER_WORKERS = 2


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer inside `leadhub serve`: the server owns the signals and the shutdown."""

    def _set_signal_handlers(self) -> None:
        return None


class JobQueue:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        capabilities: Capabilities,
        *,
        store: BlobStore | None = None,
        immediate: bool = False,
    ) -> None:
        self.db = db
        self.capabilities = capabilities
        self.store = store if store is not None else store_from_settings(settings)
        self.lease = timedelta(seconds=settings.job_lease_seconds)
        self.heartbeat = Heartbeat(db, self.lease, capabilities.clock)
        self.huey = self._make_huey(settings, immediate)
        self._task = self.huey.task(name="leadhub.run_job")(self.execute)
        self.huey.periodic_task(crontab(minute="*"), name="leadhub.sweep")(self.periodic_sweep)
        self._sweep_later = self.huey.task(name="leadhub.sweep_after_start")(self.periodic_sweep)
        self.huey.periodic_task(crontab(minute="7"), name="leadhub.purge_uploads")(
            self.purge_uploads
        )
        self.huey.periodic_task(crontab(minute="22"), name="leadhub.purge_idempotency_keys")(
            self.purge_idempotency_keys
        )
        self.huey.periodic_task(crontab(minute="37"), name="leadhub.refresh_statistics")(
            self.refresh_statistics
        )
        self._consumer: Consumer | None = None
        self._probe: QueueProbe | None = None
        db.dispatcher = self.dispatch

    @staticmethod
    def _make_huey(settings: Settings, immediate: bool) -> Huey:
        if settings.redis_url:
            return RedisHuey(settings.queue_name, url=settings.redis_url, immediate=immediate)
        path = Path(settings.ensure_data_dir()) / "jobs.db"
        return SqliteHuey("leadhub", filename=str(path), immediate=immediate)

    def dispatch(self, enqueued: list[tuple[int, float]]) -> None:
        """Hand committed jobs to the queue (called after the commit that wrote them)."""
        for job_id, delay in enqueued:
            self.submit(job_id, delay)

    def submit(self, job_id: int, delay: float = 0) -> None:
        try:
            if delay > 0:
                self._task.schedule((job_id,), delay=delay)
            else:
                self._task(job_id)
        except Exception:  # the sweep hands it over later; the cause has committed already
            log.exception("could not hand job %s to the queue", job_id)

    def execute(self, job_id: int) -> Outcome:
        try:
            return run_one(
                self.db,
                job_id,
                self.capabilities,
                retry=self.submit,
                store=self.store,
                alive=self.heartbeat.running,
            )
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            # Its row is as the outage left it (pending, or running until its lease ends): a
            # sweep hands it over again once the database is back.
            with job_context(job_id):
                log.warning("job %s waits for the database: %s", job_id, describe(exc))
            return "retry"

    def sweep(self) -> int:
        """Hand over every job that should be running; answers how many."""
        with self.db.unit_of_work() as session:
            due = jobs.due(session, now=self.capabilities.clock(), lease=self.lease)
        for job_id in due:
            self.submit(job_id)
        return len(due)

    def periodic_sweep(self) -> int:
        """The sweep every minute: while the database is unavailable, one line, not a trace."""
        try:
            return self.sweep()
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("job sweep waits for the database: %s", describe(exc))
            return 0

    def purge_uploads(self) -> int:
        """Delete expired uploads that never received their file; answers how many."""
        with self.db.unit_of_work() as session:
            return media.purge_expired(session, self.store, now=self.capabilities.clock())

    def purge_idempotency_keys(self) -> int:
        """Delete the idempotency records past their 24 hours; answers how many.

        One batch per transaction, so the writer lock is never held for long on SQLite.
        """
        now = self.capabilities.clock()
        purged = 0
        while True:
            with self.db.unit_of_work() as session:
                batch = idempotency.purge_expired(session, now=now, limit=idempotency.PURGE_BATCH)
            purged += batch
            if batch < idempotency.PURGE_BATCH:
                return purged

    def refresh_statistics(self) -> bool:
        """Keep the query planner's statistics fresh (SQLite; see leadhub.db.maintenance)."""
        return maintenance.refresh_statistics(self.db.engine)

    def run_pending(self) -> list[Outcome]:
        """Run every due job now, in this thread (tests and the `jobs run` command)."""
        with self.db.unit_of_work() as session:
            due = jobs.due(session, now=self.capabilities.clock(), lease=self.lease)
        return [self.execute(job_id) for job_id in due]

    def start_consumer(self, workers: int = CONSUMER_WORKERS, **options: Any) -> None:
        """Consume in background threads of this process (the embedded default)."""
        self._consumer = _EmbeddedConsumer(
            self.huey, workers=workers, worker_type="thread", **options
        )
        self._consumer.start()
        self.begin_consuming()

    def begin_consuming(self) -> None:
        """Beat for the jobs this process runs; hand over what waited while no consumer ran,
        now and once more a lease later (the jobs of a consumer killed just before this one)."""
        self.heartbeat.start()
        try:
            self.sweep()
            self._sweep_later.schedule(delay=self.lease.total_seconds())
        except Exception as exc:
            failure = connection_failure(exc) or (describe(exc) if is_unavailable(exc) else None)
            if failure is None:
                log.exception("job sweep failed")
            else:  # the sweep every minute hands the jobs over once both answer
                log.warning("job sweep postponed to the next minute: %s", failure)

    def stop_consumer(self) -> None:
        """Let jobs in flight finish (their rows return to pending if they cannot)."""
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None
        self.heartbeat.stop()

    def status(self) -> QueueStatus:
        """Whether the queue answers and what waits in it, within a bounded time (health)."""
        if self._probe is None:
            self._probe = QueueProbe(self.huey)
        return self._probe.check()

    def close_probe(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    def consumer(self, workers: int) -> Consumer:
        """A standalone consumer for `leadhub worker` (it handles its own signals)."""
        return Consumer(self.huey, workers=workers, worker_type="thread")
