"""The outbox: enqueue in the caller's transaction; claim, finish, retry with backoff."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from leadhub.db import outbox
from leadhub.kit.clock import utcnow
from leadhub.models import Job

BASE_DELAY_SECONDS = 10
MAX_DELAY_SECONDS = 3600
# A running job whose consumer has not beaten on its row for this long was lost with that
# consumer: it runs again. Consumers beat several times a lease (leadhub.jobs.heartbeat).
LEASE = timedelta(seconds=60)


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    workspace_id: int | None,
    delay_seconds: float = 0,
    max_attempts: int = 5,
) -> Job:
    """Record a job in the current transaction; it is handed to the queue once that commits."""
    job = Job(
        workspace_id=workspace_id,
        kind=kind,
        payload=payload,
        max_attempts=max_attempts,
        run_after=utcnow() + timedelta(seconds=delay_seconds),
    )
    session.add(job)
    session.flush()
    outbox.remember(session, job.id, delay_seconds)
    return job


def claim(session: Session, job_id: int, *, now: datetime | None = None) -> Job | None:
    """Move a due pending job to running and answer it; None when it is not ours to run."""
    now = now or utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "pending", Job.run_after <= now)
        .values(status="running", attempts=Job.attempts + 1, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(Job, job_id, populate_existing=True)


def finish(session: Session, job: Job) -> None:
    job.status = "done"
    job.finished_at = utcnow()
    job.last_error = None
    session.flush()


def fail(session: Session, job_id: int, error: str, *, permanent: bool) -> float | None:
    """Record a failure; answers the delay before the retry, or None when the job gave up."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        return None
    job.last_error = error[:4000]
    if permanent or job.attempts >= job.max_attempts:
        job.status = "failed"
        job.finished_at = utcnow()
        session.flush()
        return None
    delay = backoff(job.attempts)
    job.status = "pending"
    job.run_after = utcnow() + timedelta(seconds=delay)
    session.flush()
    return delay


def backoff(attempts: int) -> float:
    """10 s, 20 s, 40 s, … capped at an hour."""
    return float(min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** max(0, attempts - 1)))


def beat(session: Session, job_ids: list[int], *, now: datetime | None = None) -> None:
    """Renew the lease of running jobs: their consumer is alive."""
    session.execute(
        update(Job)
        .where(Job.id.in_(job_ids), Job.status == "running")
        .values(heartbeat_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def due(
    session: Session,
    *,
    now: datetime | None = None,
    lease: timedelta = LEASE,
    limit: int = 500,
) -> list[int]:
    """Jobs that should be running and are not: pending and due, or running past their lease."""
    now = now or utcnow()
    last_sign_of_life = func.coalesce(Job.heartbeat_at, Job.started_at)
    session.execute(
        update(Job)
        .where(Job.status == "running", last_sign_of_life < now - lease)
        .values(status="pending")
        .execution_options(synchronize_session=False)
    )
    statement = (
        select(Job.id)
        .where(Job.status == "pending", Job.run_after <= now)
        .order_by(Job.run_after, Job.id)
        .limit(limit)
    )
    return list(session.scalars(statement))
