"""Rows noted in passing (a search's record) wait in the node's buffer and are written in
batches; a reader writes them into its own transaction first; nothing is lost to a rollback or
an unavailable database, and a row whose workspace is gone does not hold up the others."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from leadhub.db import deferred
from leadhub.db.uow import Database
from leadhub.domains.account import history
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.pagination import PageRequest
from leadhub.models import SearchRecord
from leadhub.models import Workspace as WorkspaceRow
from tests.factories import Workspace, make_workspace


@pytest.fixture
def node(db: Database) -> Iterator[Database]:
    """The test database with a buffer of its own, started, whose timer never fires in a test."""
    database = Database(db.url, engine=db.engine, deferred_seconds=3600)
    database.deferred.start()
    yield database
    database.deferred.stop()


def search(database: Database, workspace: Workspace, term: str) -> None:
    with database.unit_of_work(write=False) as session:
        history.note_search(
            session,
            workspace.principal(),
            filters=LeadFilters(search=term),
            page=PageRequest(1, 25),
            lead_count=3,
        )


def stored(database: Database) -> list[str]:
    with database.unit_of_work(write=False) as session:
        return list(session.scalars(select(SearchRecord.query).order_by(SearchRecord.id)))


def test_a_search_is_written_with_the_next_batch_and_read_at_once(
    node: Database, workspace: Workspace
) -> None:
    search(node, workspace, "ada")
    search(node, workspace, "bob")
    assert stored(node) == [] and node.deferred.pending() == 2
    with node.unit_of_work(write=False) as session:
        found = history.list_history(session, workspace.principal(), page=PageRequest(1, 10))
    assert [record.query for record in found.items] == ["bob", "ada"]
    assert stored(node) == ["ada", "bob"] and node.deferred.pending() == 0


def test_without_a_running_buffer_the_commit_writes_them(
    db: Database, workspace: Workspace
) -> None:
    search(db, workspace, "ada")
    assert stored(db) == ["ada"]


def test_a_rolled_back_session_notes_nothing(node: Database, workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), node.unit_of_work(write=False) as session:
        history.note_search(
            session,
            workspace.principal(),
            filters=LeadFilters(search="ada"),
            page=PageRequest(1, 25),
            lead_count=0,
        )
        raise RuntimeError("the request failed")
    assert node.deferred.pending() == 0 and stored(node) == []


def test_rows_a_rolled_back_reader_took_go_back_to_the_buffer(
    node: Database, workspace: Workspace
) -> None:
    search(node, workspace, "ada")
    with pytest.raises(RuntimeError), node.unit_of_work() as session:
        assert deferred.write_pending(session) == 1
        raise RuntimeError("the erasure failed")
    assert stored(node) == [] and node.deferred.pending() == 1
    node.deferred.stop()
    assert stored(node) == ["ada"]


def test_a_full_batch_is_written_without_waiting(db: Database, workspace: Workspace) -> None:
    buffer = deferred.DeferredRows(db.unit_of_work, flush_seconds=3600, max_pending=3)
    buffer.start()
    try:
        for term in ("one", "two"):
            buffer.add([row(workspace, term)])
        assert stored(db) == []
        buffer.add([row(workspace, "three")])
        assert stored(db) == ["one", "two", "three"] and buffer.pending() == 0
    finally:
        buffer.stop()


def test_an_unavailable_database_keeps_the_rows_for_the_next_try(
    db: Database, workspace: Workspace
) -> None:
    @contextmanager
    def locked() -> Iterator[Session]:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        yield  # pragma: no cover

    buffer = deferred.DeferredRows(locked, flush_seconds=3600)
    buffer.start()
    buffer.add([row(workspace, "ada")])
    assert buffer.flush() == 0 and buffer.pending() == 1
    buffer.unit_of_work = db.unit_of_work
    buffer.stop()
    assert stored(db) == ["ada"] and buffer.pending() == 0


def test_a_row_whose_workspace_is_gone_is_dropped_alone(db: Database, workspace: Workspace) -> None:
    gone = make_workspace(db, "gone")
    buffer = deferred.DeferredRows(db.unit_of_work, flush_seconds=3600)
    buffer.start()
    buffer.add([row(workspace, "one"), row(gone, "lost"), row(workspace, "two")])
    with db.unit_of_work() as session:
        session.execute(delete(WorkspaceRow).where(WorkspaceRow.id == gone.id))
    assert buffer.flush() == 2
    assert stored(db) == ["one", "two"]
    buffer.stop()


def test_the_oldest_rows_go_when_too_many_wait(db: Database, workspace: Workspace) -> None:
    buffer = deferred.DeferredRows(db.unit_of_work, flush_seconds=3600, max_kept=2)
    buffer.start()
    for term in ("one", "two", "three"):
        buffer.add([row(workspace, term)])
    assert buffer.pending() == 2
    buffer.stop()
    assert stored(db) == ["two", "three"]


def row(workspace: Workspace, term: str) -> deferred.Row:
    values = {
        "workspace_id": workspace.id,
        "type": "contacts",
        "query": term,
        "lead_count": 1,
        "user_id": None,
        "api_key_id": None,
    }
    return history.SEARCH_HISTORY, values
