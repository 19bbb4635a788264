"""Leadsopedia's account: details, credits, usage, activity and history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.exports.helpers import grant
from tests.factories import Workspace, make_key, make_lead

BASE = "/compat/leadsopedia/v1"


def test_account_details(client: TestClient, db: Database, workspace: Workspace) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    body = client.get(f"{BASE}/account", headers=headers).json()
    assert set(body) == {
        "id",
        "name",
        "address",
        "phone",
        "email",
        "company",
        "status",
        "date_created",
    }
    assert body["id"] == workspace.id and body["status"] == "active"
    assert body["date_created"].endswith("Z")


def test_credits_are_derived_from_the_ledger(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    assert client.get(f"{BASE}/account/credits", headers=headers).json() == {
        "credits_total": 0,
        "credits_used": 0,
        "credits_left": 0,
    }
    grant(db, workspace, 50)
    lead = make_lead(db, workspace, email="a@example.com")
    list_id = client.post("/api/v1/lists", json={"name": "L"}, headers=headers).json()["data"]["id"]
    client.post(f"/api/v1/lists/{list_id}/leads", json={"lead_ids": [lead]}, headers=headers)
    assert (
        client.post(
            f"/api/v1/lists/{list_id}/exports", json={"format": "csv"}, headers=headers
        ).status_code
        == 202
    )
    assert client.get(f"{BASE}/account/credits", headers=headers).json() == {
        "credits_total": 50,
        "credits_used": 1,
        "credits_left": 49,
    }


def test_usage_counts_this_months_calls(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    for _ in range(3):
        client.get(f"{BASE}/mylists", headers=headers)
    body = client.get(f"{BASE}/account/usage", headers=headers).json()
    assert {"month", "quota", "calls", "remaining", "keys", "months"} <= set(body)
    assert body["quota"] is None and body["remaining"] is None
    assert body["calls"] >= 3
    assert len(body["months"]) == 12 and body["months"][-1]["month"] == body["month"]


def test_activity_lists_account_actions(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    client.post(f"{BASE}/mylists", json={"name": "Prospects"}, headers=headers)
    body = client.get(f"{BASE}/account/activity", headers=headers).json()
    assert {"activities", "total", "page", "limit", "pagesCount", "next", "previous"} <= set(body)
    actions = [entry["action"] for entry in body["activities"]]
    assert "list.created" in actions
    entry = body["activities"][actions.index("list.created")]
    assert entry["actor_type"] == "api_key" and entry["date_created"].endswith("Z")


def test_history_lists_searches_with_their_type_and_count(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    make_lead(db, workspace, first_name="Sarah", email="sarah@example.com")
    client.get("/api/v1/leads", params={"search": "sarah"}, headers=headers)
    body = client.get(f"{BASE}/account/history", headers=headers).json()
    assert body["total"] == 1
    search = body["history"][0]
    assert search["type"] == "contacts" and search["lead_count"] == 1
    assert isinstance(search["id"], str) and search["date_added"].endswith("Z")


def test_the_account_needs_read_account(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace, scopes=["read:lists"])}
    for path in ("", "/credits", "/usage", "/activity", "/history"):
        response = client.get(f"{BASE}/account{path}", headers=headers)
        assert response.status_code == 403, path
        assert response.json()["message"]
