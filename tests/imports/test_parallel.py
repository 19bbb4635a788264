"""Rows checked in other processes give the same import as rows checked in this one."""

from __future__ import annotations

from leadhub.db.uow import Database
from leadhub.domains.imports import parsing
from leadhub.storage.local import LocalStore
from tests.factories import Workspace, make_workspace
from tests.imports.helpers import leads, run, start, state, tag_names


def rows(count: int) -> bytes:
    lines = ["name,email,phone,tags"]
    for n in range(count):
        if n % 17 == 5:
            lines.append(f"Broken {n},not-an-email-{n},,")
        else:
            # Every 10th row repeats an earlier person, sometimes in another batch.
            person = n - 7 if n % 10 == 9 else n
            lines.append(f"Person {person},p{person}@example.com,(415) 555-{person:04d},t{n % 3}")
    return ("\n".join(lines) + "\n").encode()


def _outcome(db: Database, workspace: Workspace, store: LocalStore, workers: int) -> tuple:
    started = start(db, workspace, store, rows(240))
    run(db, workspace, store, started.id, batch_size=25, workers=workers)
    done = state(db, workspace, started.id)
    imported = leads(db, workspace)
    return (
        (done.status, done.processed_rows, done.created_count, done.updated_count),
        done.failed_count,
        [(error.line, error.reason) for error in done.errors],
        sorted((lead.email, lead.phone, lead.first_name) for lead in imported),
        sorted(tuple(tag_names(db, lead.id)) for lead in imported),
    )


def test_rows_checked_by_worker_processes_import_as_in_one_process(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    alone = _outcome(db, workspace, store, workers=1)
    spread = _outcome(db, make_workspace(db, "spread"), store, workers=2)
    assert spread == alone
    assert alone[1] == 14  # the broken rows, each reported with its line
    assert alone[2][0] == (7, "The email field must be a valid email address.")
    assert alone[0][3] > 0  # repeated people were merged, not created twice


def test_only_large_imports_start_worker_processes() -> None:
    assert parsing.workers_for(None) == 1
    assert parsing.workers_for(parsing.PARALLEL_FROM_ROWS - 1) == 1
    assert parsing.workers_for(parsing.PARALLEL_FROM_ROWS) >= 1
