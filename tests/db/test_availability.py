"""What counts as an unavailable database (a 503), told apart from bugs and bad data (not), on
errors the drivers really raise."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from leadhub.db.availability import describe, is_unavailable
from leadhub.db.engine import make_engine
from leadhub.db.uow import Database
from tests.conftest import free_port


def raised(action: Callable[[], object]) -> BaseException:
    with pytest.raises(Exception) as caught:
        action()
    return caught.value


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'a.db'}", busy_timeout=0.1)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    yield database
    database.dispose()


def insert(database: Database, row_id: int) -> None:
    with database.unit_of_work() as session:
        session.execute(text("INSERT INTO t VALUES (:id)"), {"id": row_id})


def test_sqlite_locked_by_another_process_past_the_busy_timeout_is_unavailable(
    sqlite_file: Database, tmp_path: Path
) -> None:
    holder = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        error = raised(lambda: insert(sqlite_file, 2))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(error, OperationalError) and "locked" in str(error)
    assert is_unavailable(error)
    assert describe(error) == "OperationalError: database is locked"
    insert(sqlite_file, 2)  # the lock is gone: the same write goes through


def test_a_refused_connection_is_unavailable() -> None:
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/postgres")
    try:
        error = raised(engine.connect)
    finally:
        engine.dispose()
    assert isinstance(error, OperationalError)
    assert is_unavailable(error)
    assert describe(error).startswith("OperationalError: connection failed")


def test_no_free_connection_in_the_pool_in_time_is_unavailable(tmp_path: Path) -> None:
    engine = make_engine(
        f"sqlite:///{tmp_path / 'b.db'}", pool_size=1, max_overflow=0, pool_timeout=0.05
    )
    try:
        with engine.connect():
            error = raised(engine.connect)
    finally:
        engine.dispose()
    assert isinstance(error, PoolTimeout)
    assert is_unavailable(error)


def test_bugs_and_bad_data_are_not_unavailability(sqlite_file: Database) -> None:
    duplicate = raised(lambda: insert(sqlite_file, 1))
    assert isinstance(duplicate, IntegrityError)
    with sqlite_file.engine.connect() as connection:
        missing_table = raised(lambda: connection.execute(text("SELECT * FROM nowhere")))
    assert isinstance(missing_table, OperationalError)  # SQLite's class for it, all the same
    for error in (duplicate, missing_table, RuntimeError("boom"), ValueError("database is locked")):
        assert not is_unavailable(error), error


def test_an_error_raised_because_of_an_unavailable_database_is_unavailable(
    sqlite_file: Database, tmp_path: Path
) -> None:
    holder = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        try:
            insert(sqlite_file, 3)
        except OperationalError as locked:
            wrapped = RuntimeError("the import stopped")
            wrapped.__cause__ = locked
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert is_unavailable(wrapped)
    assert is_unavailable(ExceptionGroup("task group", [ValueError("x"), wrapped]))


# -- PostgreSQL's own ways ----------------------------------------------------------------------


@pytest.fixture
def postgresql(database_url: str) -> Iterator[Engine]:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL's errors")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_a_connection_terminated_by_the_server_is_unavailable(postgresql: Engine) -> None:
    with postgresql.connect() as victim:
        pid = victim.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with postgresql.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        error = raised(lambda: victim.execute(text("SELECT 1")))
    assert isinstance(error, DBAPIError) and error.connection_invalidated
    assert is_unavailable(error)
    with postgresql.connect() as fresh:  # the pool replaced it
        assert fresh.execute(text("SELECT 1")).scalar_one() == 1


def test_a_statement_timeout_is_not_unavailability(postgresql: Engine) -> None:
    with postgresql.connect() as connection:
        connection.execute(text("SET statement_timeout = 10"))
        error = raised(lambda: connection.execute(text("SELECT pg_sleep(1)")))
    assert isinstance(error, OperationalError)  # psycopg's QueryCanceled
    assert not is_unavailable(error)
