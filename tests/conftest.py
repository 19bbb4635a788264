"""Test harness: one migrated database per run (per xdist worker), emptied after every test.

The backend comes from LEADHUB_TEST_DATABASE_URL: unset means a SQLite file; a PostgreSQL URL
(`postgresql+psycopg://postgres@127.0.0.1:5432/postgres`) means a fresh database is created on
that server for the run and dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import httpx
import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.routing import Mount

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.base import Base
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.factories import Workspace, make_key, make_workspace

BASE_URL = "http://testserver"


def pytest_report_header() -> str:
    return f"leadhub test database: {os.environ.get('LEADHUB_TEST_DATABASE_URL') or 'sqlite'}"


def requires_services() -> bool:
    return os.environ.get("LEADHUB_TEST_REQUIRE_SERVICES") == "1"


def unavailable(service: str) -> NoReturn:
    """Skip a test whose service does not answer, or fail it where services are required."""
    if requires_services():
        pytest.fail(f"{service} does not answer and LEADHUB_TEST_REQUIRE_SERVICES=1")
    pytest.skip(f"{service} does not answer")


@contextmanager
def scratch_database(directory: Path) -> Iterator[str]:
    """A new empty database and its URL: a SQLite file in `directory`, or a database created on
    the configured PostgreSQL server and dropped afterwards."""
    configured = os.environ.get("LEADHUB_TEST_DATABASE_URL")
    if not configured:
        yield f"sqlite:///{directory / 'leadhub.db'}"
        return
    server = make_url(configured)
    name = f"leadhub_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def own_database_url(tmp_path: Path) -> Iterator[str]:
    """A database for this test alone, for tests whose own server or worker processes run jobs.

    The session's `live_server` sweeps the shared database every minute: it would claim their
    jobs, and fail those of the test handlers, which it does not have.
    """
    with scratch_database(tmp_path) as url:
        yield url


@pytest.fixture
def own_db(own_database_url: str) -> Iterator[Database]:
    database = Database(own_database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def own_workspace(own_db: Database) -> Workspace:
    return make_workspace(own_db, "acme")


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    for name in ("db", "live_db"):
        if name in request.fixturenames:
            empty_database(request.getfixturevalue(name))


def empty_database(database: Database) -> None:
    """Every table emptied, children first."""
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    # DELETE, not TRUNCATE: on the few rows a test leaves it is far quicker on PostgreSQL.
    with database.engine.begin() as connection:
        for table in tables:
            connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url=BASE_URL,
        secret_key="test-secret",
        redis_url=None,
    )


# An app per configuration, built once per test process (see node_app).
_BUILT_APPS: dict[str, FastAPI] = {}


def node_app(settings: Settings, db: Database, limiter: RateLimiter | None = None) -> FastAPI:
    """The node for these settings, serving a runtime of its own: new rate limits, usage meter,
    job queue and data dir, on the given database.

    Building the app is quick, but FastAPI builds each router's routes (their dependencies and
    validators) when a request first reaches them, about 3 ms a route and over 400 routes: most of
    what a short test spent. So the app of one configuration is built once per test process and
    handed each test's runtime; a request reaches its runtime only through `app.state`, in
    production as here, and the app itself holds nothing of a test's. The next call with the same
    settings takes the app over: a fixture that keeps its app beyond one test builds its own.
    """
    runtime = Runtime(settings=settings, db=db, limiter=limiter or RateLimiter())
    # The data dir is the runtime's alone: the app built for another test's serves this one.
    shape = settings.model_dump_json(exclude={"data_dir"})
    app = _BUILT_APPS.get(shape)
    if app is None:
        app = _BUILT_APPS[shape] = create_app(settings, runtime=runtime)
    serve_runtime(app, runtime)
    return app


def serve_runtime(app: FastAPI, runtime: Runtime) -> None:
    """`runtime` becomes what the app and every surface mounted in it serve."""
    app.state.runtime = runtime
    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, Starlette):
            route.app.state.runtime = runtime


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    return node_app(settings, db)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL)


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, "acme")


@pytest.fixture
def key(db: Database, workspace: Workspace) -> str:
    return make_key(db, workspace)


@pytest.fixture
def headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="session")
def redis_url() -> str:
    """LEADHUB_TEST_REDIS_URL (db 15 of the local Redis by default), checked to answer."""
    url = os.environ.get("LEADHUB_TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    connection = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        connection.ping()
    except redis.RedisError:
        unavailable(f"Redis at {url}")
    finally:
        connection.close()
    return url


# -- real server processes ------------------------------------------------------------------

LEADHUB_COMMAND = str(Path(sys.executable).with_name("leadhub"))
# Waiting for readiness, not timing it: a loaded machine imports slowly.
SERVER_START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LeadhubProcess:
    """A `leadhub` command running in a subprocess, its output going to `log_path`."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def leadhub_env(env: dict[str, str]) -> dict[str, str]:
    """This environment without any LEADHUB_* variable of the caller's, plus the given ones."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    return {**clean, **env}


@contextmanager
def leadhub_process(
    args: list[str], workdir: Path, env: dict[str, str], log_name: str
) -> Iterator[LeadhubProcess]:
    """`leadhub ARGS` started in `workdir` (no stray .env) with only the given LEADHUB_*
    variables, logging to `workdir/log_name`; stopped (SIGTERM, then SIGKILL) at the end."""
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / log_name
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [LEADHUB_COMMAND, *args],
            cwd=workdir,
            env=leadhub_env(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield LeadhubProcess(process, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def server_process(
    workdir: Path, env: dict[str, str], port: int | None = None
) -> Iterator[tuple[LeadhubProcess, str]]:
    """`leadhub serve` started (not yet answering) and its base URL; see `wait_until_healthy`."""
    port = port or free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    with leadhub_process(args, workdir, env, "server.log") as server:
        yield server, f"http://127.0.0.1:{port}"


@contextmanager
def running_server(workdir: Path, env: dict[str, str]) -> Iterator[str]:
    """`leadhub serve` in a subprocess, with only the given LEADHUB_* variables; its base URL.

    The server runs in `workdir` (no stray .env) and logs to `workdir/server.log`.
    """
    with server_process(workdir, env) as (server, base_url):
        wait_until_healthy(server, base_url)
        yield base_url


def wait_until_healthy(server: LeadhubProcess, base_url: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"leadhub serve exited with {server.process.returncode}:\n{server.log()}")
        try:
            health = httpx.get(f"{base_url}/api/v1/health", timeout=1, trust_env=False)
            if health.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"leadhub serve did not answer within {SERVER_START_TIMEOUT}s:\n{server.log()}")


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The live server's database, apart from `db`: its job consumer sweeps the database every
    minute and would take the jobs other tests leave pending for their in-process apps."""
    with scratch_database(tmp_path_factory.mktemp("live-db")) as url:
        yield url


@pytest.fixture(scope="session")
def live_db(live_database_url: str) -> Iterator[Database]:
    database = Database(live_database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def live_workspace(live_db: Database) -> Workspace:
    return make_workspace(live_db, "acme")


@pytest.fixture
def live_key(live_db: Database, live_workspace: Workspace) -> str:
    return make_key(live_db, live_workspace)


@pytest.fixture(scope="session")
def live_server(
    live_database_url: str, live_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A real `leadhub serve` process on `live_db`; its base URL (one per session).

    Tests that use it put their rows in `live_db` (emptied after each of them), where the server
    reads them.
    """
    workdir = tmp_path_factory.mktemp("live-server")
    env = {"LEADHUB_DATABASE_URL": live_database_url, "LEADHUB_DATA_DIR": str(workdir / "data")}
    with running_server(workdir, env) as base_url:
        yield base_url
