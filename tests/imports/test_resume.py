"""A run that dies after a batch resumes after it: nothing is written twice, counts add up."""

from __future__ import annotations

from leadhub.db.uow import Database
from leadhub.storage.local import LocalStore
from tests.factories import Workspace
from tests.imports.helpers import leads, members, run, start, state


def rows(count: int) -> bytes:
    lines = ["name,email,tags"]
    lines += [f"Person {n},p{n}@example.com,t{n % 3}" for n in range(count)]
    lines.append("Broken,not-an-email,")
    return ("\n".join(lines) + "\n").encode()


def test_a_rerun_after_a_crash_skips_the_committed_rows(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    started = start(db, workspace, store, rows(25))
    run(db, workspace, store, started.id, batch_size=10, max_batches=1)  # then the worker died
    halfway = state(db, workspace, started.id)
    assert (halfway.status, halfway.processed_rows, halfway.created_count) == ("running", 10, 10)
    assert halfway.total_rows == 26
    assert len(leads(db, workspace)) == 10

    run(db, workspace, store, started.id, batch_size=10)  # the job runs again
    done = state(db, workspace, started.id)
    assert (done.status, done.processed_rows) == ("done", 26)
    assert (done.created_count, done.updated_count, done.failed_count) == (25, 0, 1)
    assert [error.line for error in done.errors] == [27]
    imported = leads(db, workspace)
    assert len(imported) == 25
    assert len({lead.email for lead in imported}) == 25
    assert members(db, done.list_id or 0) == {lead.id for lead in imported}


def test_a_finished_import_does_not_run_again(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    started = start(db, workspace, store, rows(3))
    run(db, workspace, store, started.id)
    run(db, workspace, store, started.id)
    done = state(db, workspace, started.id)
    assert (done.processed_rows, done.created_count) == (4, 3)


def test_a_file_that_vanished_fails_the_import_with_a_message(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    started = start(db, workspace, store, rows(3))
    for path in (store.root / "imports").rglob("*.csv"):
        path.unlink()
    run(db, workspace, store, started.id)
    failed = state(db, workspace, started.id)
    assert (failed.status, failed.message) == ("failed", "The uploaded file is no longer stored.")


def test_duplicates_in_different_batches_become_one_lead(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    content = (
        b"name,email,phone,city\n"
        b"Ann,ann@example.com,,\n"
        b"Bob,bob@example.com,,\n"
        b"Cy,cy@example.com,,\n"
        b"Ann again,ANN@example.com,+14155550100,Oslo\n"
        b"Ann by phone,,(415) 555-0100,Rome\n"
    )
    started = start(db, workspace, store, content)
    run(db, workspace, store, started.id, batch_size=2)
    done = state(db, workspace, started.id)
    assert (done.created_count, done.updated_count, done.processed_rows) == (3, 2, 5)
    ann = next(lead for lead in leads(db, workspace) if lead.email == "ann@example.com")
    assert (ann.first_name, ann.phone, ann.city) == ("Ann", "+14155550100", "Oslo")
