"""GET /api/v1/health reports the database and the job queue: ok; degraded (200) when only the
queue does not answer; error (503) when the database does not. Every probe is bounded in time."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import free_port, running_server

HEALTH = "/api/v1/health"
# The probes give up after 2 s (database) and 1 s (queue); this leaves room for a loaded machine.
BOUNDED = 6.0


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


@pytest.fixture
def runtime_for(settings: Settings) -> Iterator[Any]:
    """A Runtime on the given database and settings, closed after the test."""
    made: list[Runtime] = []

    def build(db: Database, **changes: Any) -> Runtime:
        runtime = Runtime(
            settings=settings.model_copy(update=changes), db=db, limiter=RateLimiter()
        )
        made.append(runtime)
        return runtime

    yield build
    for runtime in made:
        runtime.db_probe.dispose()
        runtime.jobs.close_probe()


def get_health(runtime: Runtime) -> tuple[httpx.Response, float]:
    client = TestClient(create_app(runtime.settings, runtime=runtime))
    started = time.monotonic()
    response = client.get(HEALTH)
    return response, time.monotonic() - started


def test_health_reports_the_database_and_the_sqlite_queue(
    client: TestClient, database_url: str
) -> None:
    response = client.get(HEALTH)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    database = body["database"]
    assert (database["status"], database["kind"]) == ("ok", backend_of(database_url))
    assert 0 <= database["latency_ms"] < BOUNDED * 1000
    queue = body["queue"]
    assert (queue["status"], queue["backend"], queue["pending"], queue["scheduled"]) == (
        "ok",
        "sqlite",
        0,
        0,
    )


def test_the_api_reference_documents_the_answer_and_its_503(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"][HEALTH]["get"]
    assert set(operation["responses"]) >= {"200", "503"}
    schemas = document["components"]["schemas"]
    assert set(schemas["Health"]["properties"]) == {
        "status",
        "version",
        "timestamp",
        "database",
        "queue",
    }
    assert schemas["Health"]["properties"]["status"]["enum"] == ["ok", "degraded", "error"]
    assert {"status", "kind", "latency_ms"} <= set(schemas["DatabaseHealth"]["properties"])
    assert {"status", "backend", "pending", "scheduled"} <= set(
        schemas["QueueHealth"]["properties"]
    )


def test_the_queue_counts_jobs_waiting_for_a_consumer_and_retries_waiting_for_their_time(
    runtime_for: Any, db: Database
) -> None:
    runtime = runtime_for(db)
    huey = runtime.jobs.huey
    runtime.jobs.submit(1003, delay=600)
    huey.add_schedule(huey.dequeue())  # what a consumer does with a message not yet due
    runtime.jobs.submit(1001)
    runtime.jobs.submit(1002)
    response, _ = get_health(runtime)
    queue = response.json()["queue"]
    assert (queue["pending"], queue["scheduled"]) == (2, 1)


def test_health_reports_a_redis_queue(runtime_for: Any, db: Database, redis_url: str) -> None:
    name = f"health-{uuid.uuid4().hex[:8]}"
    runtime = runtime_for(db, redis_url=redis_url, queue_name=name)
    connection = redis.Redis.from_url(redis_url)
    try:
        runtime.jobs.submit(2001)
        response, _ = get_health(runtime)
    finally:
        connection.delete(f"huey.redis.{name}", f"huey.schedule.{name}")
        connection.close()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["queue"]["status"] == "ok"
    assert (body["queue"]["backend"], body["queue"]["pending"]) == ("redis", 1)


def test_an_unreachable_redis_degrades_the_health_but_answers_200_in_bounded_time(
    runtime_for: Any, db: Database
) -> None:
    runtime = runtime_for(db, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    response, elapsed = get_health(runtime)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["status"] == "ok"
    queue = body["queue"]
    assert (queue["status"], queue["backend"]) == ("error", "redis")
    assert (queue["pending"], queue["scheduled"]) == (None, None)
    assert elapsed < BOUNDED


def test_an_unreachable_postgresql_answers_503_in_bounded_time(runtime_for: Any) -> None:
    closed = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/leadhub")
    try:
        response, elapsed = get_health(runtime_for(closed))
    finally:
        closed.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert (body["database"]["status"], body["database"]["kind"]) == ("error", "postgresql")
    assert body["queue"]["status"] == "ok"
    assert elapsed < BOUNDED


def test_a_locked_sqlite_database_answers_503_without_waiting_for_the_lock(
    runtime_for: Any, tmp_path: Path
) -> None:
    path = tmp_path / "locked.db"
    locked = Database(f"sqlite:///{path}")
    upgrade(locked.engine)
    locked.engine.dispose()  # its pooled connection would hold a shared lock
    runtime = runtime_for(locked)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        # Exclusive locking mode: no other connection may even read until it lets go.
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("DELETE FROM alembic_version WHERE version_num = 'none'")
        response, elapsed = get_health(runtime)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        locked.dispose()
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"
    assert elapsed < BOUNDED  # not SQLite's busy timeout of 30 s


def test_the_database_answers_again_once_it_is_back(runtime_for: Any, tmp_path: Path) -> None:
    path = tmp_path / "later" / "leadhub.db"
    database = Database(f"sqlite:///{path}")
    try:
        runtime = runtime_for(database)
        assert get_health(runtime)[0].status_code == 503
        path.parent.mkdir()
        upgrade(database.engine)
        again, _ = get_health(runtime)
    finally:
        database.dispose()
    assert again.status_code == 200
    assert again.json()["status"] == "ok"


@pytest.mark.slow
def test_a_real_server_with_redis_down_stays_up_and_reports_degraded(tmp_path: Path) -> None:
    env = {
        "LEADHUB_DATA_DIR": str(tmp_path / "data"),
        "LEADHUB_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    with running_server(tmp_path / "run", env) as base_url:
        response = httpx.get(f"{base_url}{HEALTH}", timeout=10, trust_env=False)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["queue"]["status"], body["database"]["status"]) == (
        "degraded",
        "error",
        "ok",
    )
