"""SQLite writers of one process wait in line at a gate before SQLite's own lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from leadhub.db.availability import is_unavailable
from leadhub.db.uow import Database


def counter_database(path: Path, **options: float) -> Database:
    database = Database(f"sqlite:///{path}", **options)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    return database


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    return counter_database(tmp_path / "gate.db")


def _bump(database: Database) -> None:
    with database.unit_of_work() as session:
        n = session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
        session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})


def _count(database: Database) -> int:
    with database.unit_of_work(write=False) as session:
        return int(session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one())


def test_concurrent_writers_of_one_process_all_commit(sqlite_db: Database) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                _bump(sqlite_db)
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(sqlite_db) == 200  # read-modify-write never interleaved: no update lost


def test_the_gate_opens_again_after_a_rollback(sqlite_db: Database) -> None:
    with pytest.raises(RuntimeError), sqlite_db.unit_of_work() as session:
        session.execute(text("UPDATE counter SET n = 5 WHERE id = 1"))
        raise RuntimeError("the use case failed")
    _bump(sqlite_db)
    assert _count(sqlite_db) == 1


def test_a_writer_unit_of_work_that_never_ran_a_statement_holds_nothing(
    sqlite_db: Database,
) -> None:
    with sqlite_db.unit_of_work():
        pass
    _bump(sqlite_db)
    assert _count(sqlite_db) == 1


def test_readers_do_not_wait_for_a_writer(sqlite_db: Database) -> None:
    with sqlite_db.unit_of_work() as writing:
        writing.execute(text("UPDATE counter SET n = 7 WHERE id = 1"))
        # WAL: a reader sees the last commit while the writer holds the gate and the lock.
        assert _count(sqlite_db) == 0
    assert _count(sqlite_db) == 7


def test_a_writer_that_waits_too_long_fails_as_a_busy_database(tmp_path: Path) -> None:
    sqlite_db = counter_database(tmp_path / "gate.db", busy_timeout=0.2)
    outcome: list[BaseException] = []
    with sqlite_db.unit_of_work() as holding:
        holding.execute(text("UPDATE counter SET n = 1 WHERE id = 1"))

        def second() -> None:
            try:
                _bump(sqlite_db)
            except BaseException as exc:
                outcome.append(exc)

        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(timeout=10)
    assert len(outcome) == 1 and isinstance(outcome[0], OperationalError)
    assert "locked" in str(outcome[0])
    assert is_unavailable(outcome[0])  # a 503 with Retry-After at the edge
    _bump(sqlite_db)  # the holder's commit opened the gate again
    assert _count(sqlite_db) == 2
