"""A job that meets an unavailable database waits for the next sweep: one warning, no trace."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadhub.config import Settings
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.jobs import service as jobs
from leadhub.jobs.queue import JobQueue
from leadhub.jobs.runner import Capabilities
from leadhub.kit.crypto import SecretBox
from leadhub.models import Job
from tests.factories import make_workspace
from tests.jobs import handlers  # noqa: F401  (registers the test handlers)


@pytest.fixture
def locked_db(tmp_path: Path) -> Iterator[Database]:
    """A SQLite database of its own whose writers give up after a fifth of a second."""
    database = Database(f"sqlite:///{tmp_path / 'jobs-test.db'}", busy_timeout=0.2)
    upgrade(database.engine)
    yield database
    database.dispose()


def status(db: Database, job_id: int) -> str:
    with db.unit_of_work(write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.status


def test_a_job_that_cannot_reach_the_database_waits_and_runs_once_it_can(
    locked_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="test-secret")
    capabilities = Capabilities(SecretBox("test-secret"), allow_private_targets=True, base_url="")
    queue = JobQueue(settings, locked_db, capabilities)
    workspace = make_workspace(locked_db, "acme")
    with locked_db.unit_of_work() as session:
        job_id = jobs.enqueue(session, "test.tag", {"name": "later"}, workspace_id=workspace.id).id
    holder = sqlite3.connect(tmp_path / "jobs-test.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writes, for longer than the timeout
    try:
        with caplog.at_level(logging.WARNING, logger="leadhub"):
            assert queue.execute(job_id) == "retry"
            assert queue.periodic_sweep() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    waits = [r for r in caplog.records if "waits for the database" in r.getMessage()]
    assert len(waits) == 2 and all(r.exc_info is None for r in waits)
    assert waits[0].getMessage().startswith(f"job {job_id} waits for the database")
    assert status(locked_db, job_id) == "pending"  # nothing was claimed half-way
    assert queue.periodic_sweep() == 1
    assert queue.execute(job_id) == "done"
