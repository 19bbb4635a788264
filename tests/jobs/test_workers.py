"""Real consumers: inside `leadhub serve`, and `leadhub worker` processes (killed; on Redis)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.jobs import service as jobs
from leadhub.jobs.queue import JobQueue
from leadhub.jobs.runner import Capabilities
from leadhub.kit.clock import utcnow
from leadhub.kit.crypto import SecretBox
from leadhub.models import Job, Tag
from tests.conftest import free_port
from tests.factories import Workspace, make_key
from tests.jobs import handlers  # noqa: F401

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BOOT = (
    "import sys, tests.jobs.handlers; from leadhub.cli.main import main; "
    "sys.argv = ['leadhub', 'worker', '--workers', '2']; main()"
)


READY = "leadhub worker: consuming jobs"
STARTUP_TIMEOUT = 180


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def statuses(db: Database) -> list[tuple[str, int]]:
    with db.unit_of_work(write=False) as session:
        return [(row.status, row.attempts) for row in session.scalars(select(Job).order_by(Job.id))]


def tag_count(db: Database) -> int:
    with db.unit_of_work(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(Tag)) or 0)


def queue_name(data_dir: Path) -> str:
    """One queue per test: other tests' servers consume from the same Redis database."""
    return f"leadhub-test-{abs(hash(str(data_dir))):x}"


def producer(db: Database, data_dir: Path, redis_url: str | None = None) -> JobQueue:
    settings = Settings(
        data_dir=data_dir,
        redis_url=redis_url,
        secret_key="test-secret",
        queue_name=queue_name(data_dir),
    )
    capabilities = Capabilities(SecretBox("test-secret"), allow_private_targets=True, base_url="")
    return JobQueue(settings, db, capabilities)


@contextmanager
def worker(
    database_url: str, data_dir: Path, redis_url: str | None = None, **settings: str
) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADHUB_")}
    env.update(
        LEADHUB_DATABASE_URL=database_url,
        LEADHUB_DATA_DIR=str(data_dir),
        LEADHUB_SECRET_KEY="test-secret",
        LEADHUB_QUEUE_NAME=queue_name(data_dir),
        **settings,
    )
    if redis_url:
        env["LEADHUB_REDIS_URL"] = redis_url
    log_path = data_dir / f"worker-{time.monotonic_ns()}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", BOOT], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        # Starting is not what these tests time: a loaded machine may take long to import.
        wait_for(lambda: READY in log_path.read_text(errors="replace"), timeout=STARTUP_TIMEOUT)
        yield process
    except BaseException:
        # What the worker said is the first thing to read when a wait times out.
        log.flush()
        sys.stderr.write(f"--- {log_path.name}\n{log_path.read_text(errors='replace')[-4000:]}\n")
        raise
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_leadhub_serve_consumes_jobs_itself(
    live_server: str, live_db: Database, live_workspace: Workspace
) -> None:
    auth = {"Authorization": f"Bearer {make_key(live_db, live_workspace)}"}
    automation = {
        "name": "Tag new leads",
        "trigger": "lead_created",
        "actions": [{"type": "add_tag", "tag": "new"}],
    }
    created = httpx.post(f"{live_server}/api/v1/automations", json=automation, headers=auth)
    assert created.status_code == 201, created.text
    response = httpx.post(f"{live_server}/api/v1/leads", json={"first_name": "Ann"}, headers=auth)
    assert response.status_code == 201
    # The event's dispatch, then the automation's run: each job done once, the tag in place.
    wait_for(
        lambda: tag_count(live_db) == 1 and {status for status, _ in statuses(live_db)} == {"done"}
    )
    assert all(attempts == 1 for _, attempts in statuses(live_db))


def test_a_job_killed_mid_run_is_done_exactly_once_after_restart(
    own_database_url: str, own_db: Database, own_workspace: Workspace, tmp_path: Path
) -> None:
    queue = producer(own_db, tmp_path)
    with worker(own_database_url, tmp_path) as first:
        with own_db.unit_of_work() as session:
            job_id = jobs.enqueue(
                session, "test.tag", {"name": "once", "sleep": 30}, workspace_id=own_workspace.id
            ).id
        wait_for(lambda: statuses(own_db) == [("running", 1)])
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert tag_count(own_db) == 0  # the work died with its uncommitted transaction
    with own_db.unit_of_work() as session:  # time passes: the lease of the dead worker runs out
        row = session.get(Job, job_id)
        assert row is not None
        row.started_at = row.heartbeat_at = utcnow() - jobs.LEASE
        row.payload = {"name": "once", "sleep": 0}
    with worker(own_database_url, tmp_path):
        wait_for(lambda: statuses(own_db) == [("done", 2)])
    assert tag_count(own_db) == 1
    assert queue.huey is not None


def test_two_workers_share_the_redis_queue_and_run_each_job_once(
    own_database_url: str,
    own_db: Database,
    own_workspace: Workspace,
    tmp_path: Path,
    redis_url: str,
) -> None:
    queue = producer(own_db, tmp_path, redis_url)
    queue.huey.flush()
    with (
        worker(own_database_url, tmp_path, redis_url),
        worker(own_database_url, tmp_path, redis_url),
    ):
        with own_db.unit_of_work() as session:
            for number in range(20):
                jobs.enqueue(
                    session, "test.tag", {"name": f"tag-{number}"}, workspace_id=own_workspace.id
                )
        wait_for(lambda: [status for status, _ in statuses(own_db)] == ["done"] * 20, timeout=90)
    assert all(attempts == 1 for _, attempts in statuses(own_db))
    assert tag_count(own_db) == 20


def test_a_worker_logs_json_lines_that_carry_the_job_id(
    own_database_url: str, own_db: Database, own_workspace: Workspace, tmp_path: Path
) -> None:
    producer(own_db, tmp_path)
    with worker(own_database_url, tmp_path, LEADHUB_LOG_FORMAT="json"):
        with own_db.unit_of_work() as session:
            job_id = jobs.enqueue(session, "test.broken", {}, workspace_id=own_workspace.id).id
        wait_for(lambda: statuses(own_db) == [("failed", 1)])
    (log_path,) = tmp_path.glob("worker-*.log")
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    assert any(line["message"].startswith(READY) for line in lines)
    failed = [line for line in lines if line.get("job_id") == job_id]
    assert failed, lines
    assert failed[0]["level"] == "WARNING" and "misconfigured" in failed[0]["message"]


def test_a_worker_whose_redis_does_not_answer_says_so_in_a_line_not_a_trace_per_poll(
    own_database_url: str, tmp_path: Path
) -> None:
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    with worker(own_database_url, tmp_path, dead_redis):
        time.sleep(5)  # the consumer's threads poll the queue many times a second at first
    (log_path,) = tmp_path.glob("worker-*.log")
    log = log_path.read_text()
    assert "Traceback" not in log, log
    outages = [line for line in log.splitlines() if "the queue does not answer" in line]
    # Each failing loop says it once (a minute): the scheduler's and the workers' polls.
    assert 1 <= len(outages) <= 4, log
    assert all(" WARNING huey.consumer." in line for line in outages), outages
    assert "Connection refused" in outages[0]
    assert "job sweep postponed to the next minute" in log
