"""The outbox and the runner: jobs run after commit, exactly once, retried with backoff."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.domains.jobs import service as jobs
from leadhub.kit.clock import utcnow
from leadhub.models import Job, Tag
from tests.factories import Workspace, make_automation
from tests.jobs import handlers  # noqa: F401  (registers the test handlers)


def enqueue(db: Database, workspace: Workspace, kind: str, **payload: object) -> int:
    with db.unit_of_work() as session:
        return jobs.enqueue(session, kind, dict(payload), workspace_id=workspace.id).id


def job(db: Database, job_id: int) -> Job:
    with db.unit_of_work(write=False) as session:
        found = session.get(Job, job_id)
        assert found is not None
        return found


def tags(db: Database) -> int:
    with db.unit_of_work(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(Tag)) or 0)


def test_a_job_runs_once_after_its_transaction_commits(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    job_id = enqueue(db, workspace, "test.tag", name="from-job")
    assert job(db, job_id).status == "pending"
    runtime = app.state.runtime
    assert runtime.jobs.execute(job_id) == "done"
    assert runtime.jobs.execute(job_id) == "skipped"  # a duplicate message changes nothing
    assert (job(db, job_id).status, job(db, job_id).attempts, tags(db)) == ("done", 1, 1)


def test_a_rolled_back_transaction_leaves_no_job(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    handed: list[tuple[int, float]] = []
    db.dispatcher = handed.extend
    try:
        with db.unit_of_work() as session:
            jobs.enqueue(session, "test.tag", {"name": "x"}, workspace_id=workspace.id)
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    with db.unit_of_work() as session:
        jobs.enqueue(session, "test.tag", {"name": "y"}, workspace_id=workspace.id)
    db.dispatcher = app.state.runtime.jobs.dispatch
    assert len(handed) == 1
    assert app.state.runtime.jobs.run_pending() == ["done"]
    assert tags(db) == 1


def test_lead_events_enqueue_their_dispatch_when_something_listens(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    client.post("/api/v1/leads", json={"first_name": "Ann"}, headers=headers)
    assert _job_kinds(db) == []  # nothing reacts to this workspace's events: no job to run
    make_automation(db, workspace)
    client.post("/api/v1/leads", json={"first_name": "Bob"}, headers=headers)
    assert _job_kinds(db) == ["events.dispatch"]
    assert app.state.runtime.jobs.run_pending()[0] == "done"


def _job_kinds(db: Database) -> list[str]:
    with db.unit_of_work(write=False) as session:
        return list(session.scalars(select(Job.kind).order_by(Job.id)))


def test_a_failing_job_is_retried_with_growing_delays_then_succeeds(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    queue = app.state.runtime.jobs
    job_id = enqueue(db, workspace, "test.flaky", key="retry-once-more", failures=2)
    assert queue.execute(job_id) == "retry"
    first = job(db, job_id)
    assert first.status == "pending" and "attempt 1 failed" in (first.last_error or "")
    delay = (first.run_after - utcnow()).total_seconds()
    assert 5 < delay <= jobs.BASE_DELAY_SECONDS
    assert queue.execute(job_id) == "skipped"  # not due yet
    _make_due(db, job_id)
    assert queue.execute(job_id) == "retry"
    second = (job(db, job_id).run_after - utcnow()).total_seconds()
    assert second > delay * 1.5  # exponential
    _make_due(db, job_id)
    assert queue.execute(job_id) == "done"
    assert job(db, job_id).attempts == 3


def test_a_job_gives_up_after_its_attempts(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    queue = app.state.runtime.jobs
    with db.unit_of_work() as session:
        job_id = jobs.enqueue(
            session,
            "test.flaky",
            {"key": "always", "failures": 99},
            workspace_id=workspace.id,
            max_attempts=2,
        ).id
    assert queue.execute(job_id) == "retry"
    _make_due(db, job_id)
    assert queue.execute(job_id) == "failed"
    assert job(db, job_id).status == "failed"


def test_a_permanent_failure_is_not_retried(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    job_id = enqueue(db, workspace, "test.broken")
    assert app.state.runtime.jobs.execute(job_id) == "failed"
    assert job(db, job_id).last_error == "PermanentFailure: misconfigured"


def test_a_job_whose_worker_died_runs_again_after_its_lease(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    job_id = enqueue(db, workspace, "test.tag", name="survivor")
    with db.unit_of_work() as session:  # a worker claimed it, then died before committing
        assert jobs.claim(session, job_id) is not None
    queue = app.state.runtime.jobs
    assert queue.run_pending() == []  # still within its lease
    with db.unit_of_work() as session:
        found = session.get(Job, job_id)
        assert found is not None
        found.started_at = found.heartbeat_at = utcnow() - jobs.LEASE - timedelta(seconds=1)
    assert queue.run_pending() == ["done"]
    assert tags(db) == 1


def test_a_job_whose_consumer_beats_is_not_taken_for_dead(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    job_id = enqueue(db, workspace, "test.tag", name="long")
    _claimed_at(db, job_id, utcnow() - 3 * jobs.LEASE)  # long ago, by a consumer still at work
    queue = app.state.runtime.jobs
    with queue.heartbeat.running(job_id):
        queue.heartbeat.beat()
    assert job(db, job_id).heartbeat_at > utcnow() - timedelta(seconds=5)
    assert queue.run_pending() == []  # its lease was renewed
    with db.unit_of_work() as session:  # the consumer stops beating: it died
        found = session.get(Job, job_id)
        assert found is not None
        found.heartbeat_at = utcnow() - jobs.LEASE - timedelta(seconds=1)
    assert queue.run_pending() == ["done"]
    assert job(db, job_id).attempts == 2


def test_the_heartbeat_beats_only_for_jobs_running_in_this_process(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    ours, theirs = (enqueue(db, workspace, "test.tag", name=name) for name in ("a", "b"))
    past = utcnow() - timedelta(seconds=30)
    _claimed_at(db, ours, past)
    _claimed_at(db, theirs, past)
    queue = app.state.runtime.jobs
    with queue.heartbeat.running(ours):
        queue.heartbeat.beat()
    queue.heartbeat.beat()  # nothing runs here any more: no write
    assert job(db, ours).heartbeat_at > past
    assert job(db, theirs).heartbeat_at == past


def _claimed_at(db: Database, job_id: int, when: datetime) -> None:
    with db.unit_of_work() as session:
        claimed = jobs.claim(session, job_id)
        assert claimed is not None
        claimed.started_at = claimed.heartbeat_at = when


def _make_due(db: Database, job_id: int) -> None:
    with db.unit_of_work() as session:
        found = session.get(Job, job_id)
        assert found is not None
        found.run_after = utcnow()
