"""Test harness: one migrated database per run (per xdist worker), emptied after every test.

The backend comes from LEADHUB_TEST_DATABASE_URL: unset means a SQLite file; a PostgreSQL URL
(`postgresql+psycopg://postgres@127.0.0.1:5432/postgres`) means a fresh database is created on
that server for the run and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("LEADHUB_TEST_DATABASE_URL")
    if not configured:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'leadhub.db'}"
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
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "db" not in request.fixturenames:
        return
    database: Database = request.getfixturevalue("db")
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
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


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    runtime = Runtime(settings=settings, db=db, limiter=RateLimiter())
    return create_app(settings, runtime=runtime)


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
