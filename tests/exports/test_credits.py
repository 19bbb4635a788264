"""Credits: exactly rows * cost, refused whole when short, refunded when the file cannot be
written, never negative when exports race for the last credits."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from leadhub.db.uow import Database
from leadhub.domains.credits import service as credits
from leadhub.domains.exports import service as exports
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.domains.lists import service as lists
from leadhub.errors import InsufficientCredits
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import AuditEntry, CreditEntry, Job
from tests.exports.helpers import bulk_leads, credits_left, grant, make_list, run_jobs, set_cost
from tests.factories import Workspace, make_lead


def run_until_settled(app: FastAPI, db: Database) -> None:
    """Run jobs, retries included (their backoff skipped), until none is pending."""
    for _ in range(10):
        with db.unit_of_work() as session:
            session.execute(update(Job).where(Job.status == "pending").values(run_after=utcnow()))
        if not run_jobs(app):
            return


def download(client: TestClient, headers: dict[str, str], export_id: int) -> dict[str, Any]:
    data: dict[str, Any] = client.get(f"/api/v1/downloads/{export_id}", headers=headers).json()
    return data["data"]


def test_an_export_spends_rows_times_the_cost_per_row(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    bulk_leads(db, workspace, 7)
    set_cost(db, workspace, 3)
    grant(db, workspace, 100)
    started = client.post("/api/v1/exports", json={"format": "xlsx"}, headers=headers)
    assert started.json()["data"]["credits_spent"] == 21
    assert credits_left(db, workspace) == 79
    with db.unit_of_work(write=False) as session:
        spends = session.scalars(select(CreditEntry).where(CreditEntry.kind == "spend")).all()
        assert [(entry.amount, entry.reason) for entry in spends] == [
            (-21, f"export {started.json()['data']['filename']} (7 rows)")
        ]
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "export.created" in actions


def test_exports_are_free_when_the_cost_is_zero(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    bulk_leads(db, workspace, 4)
    set_cost(db, workspace, 0)
    started = client.post("/api/v1/exports", json={}, headers=headers)
    assert started.status_code == 202
    assert started.json()["data"]["credits_spent"] == 0


def test_a_failed_export_is_refunded_once_it_fails_for_good(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bulk_leads(db, workspace, 5)
    grant(db, workspace, 10)
    export_id = client.post("/api/v1/exports", json={}, headers=headers).json()["data"]["id"]
    assert credits_left(db, workspace) == 5

    def broken_put(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(app.state.runtime.store, "put", broken_put)
    run_jobs(app)  # the first attempt fails: it will be retried, nothing is refunded yet
    assert download(client, headers, export_id)["status"] == "running"
    assert credits_left(db, workspace) == 5
    run_until_settled(app, db)
    failed = download(client, headers, export_id)
    assert failed["status"] == "failed" and failed["url"] is None
    assert "refunded" in failed["message"]
    assert credits_left(db, workspace) == 10
    with db.unit_of_work(write=False) as session:
        refunds = session.scalars(select(CreditEntry).where(CreditEntry.kind == "refund")).all()
        assert len(refunds) == 1 and "failed" in (refunds[0].reason or "")
        job = session.scalars(select(Job).where(Job.kind == exports.JOB_KIND)).one()
        assert job.status == "failed" and job.attempts == exports.MAX_ATTEMPTS


def test_an_export_whose_list_was_deleted_fails_at_once_and_is_refunded(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    list_id = make_list(db, workspace, "Gone", [make_lead(db, workspace, email="a@example.com")])
    grant(db, workspace, 3)
    export_id = client.post(f"/api/v1/lists/{list_id}/exports", headers=headers).json()["data"]
    with db.unit_of_work() as session:
        lists.delete_list(session, workspace.principal(), list_id)
    run_jobs(app)
    failed = download(client, headers, export_id["id"])
    assert failed["status"] == "failed" and "deleted" in failed["message"]
    assert credits_left(db, workspace) == 3


def test_deleting_an_unwritten_export_refunds_it(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    bulk_leads(db, workspace, 2)
    grant(db, workspace, 5)
    export_id = client.post("/api/v1/exports", json={}, headers=headers).json()["data"]["id"]
    assert credits_left(db, workspace) == 3
    assert client.delete(f"/api/v1/downloads/{export_id}", headers=headers).status_code == 204
    assert credits_left(db, workspace) == 5


def test_racing_exports_never_spend_more_than_the_credits(
    db: Database, workspace: Workspace
) -> None:
    bulk_leads(db, workspace, 5)
    grant(db, workspace, 12)  # enough for two exports of five rows, not for three
    racers = 6
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race() -> None:
        barrier.wait()
        try:
            with db.unit_of_work() as session:
                exports.create_export(
                    session, workspace.principal(), filters=LeadFilters(), enqueue=False
                )
            outcome = "exported"
        except InsufficientCredits:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["exported"] * 2 + ["refused"] * 4
    with db.unit_of_work(write=False) as session:
        summary = credits.summary(session, workspace.id)
        assert summary.credits_used == 10 <= summary.credits_total == 12
        assert summary.credits_left == 2
        page = exports.list_exports(session, workspace.principal(), page=PageRequest(1, 100))
        assert page.total == 2
