"""The native account endpoints: their shapes, their scope, and only the caller's workspace."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.account import service as account
from leadhub.domains.credits import service as credits
from leadhub.domains.workspaces import service as workspaces
from leadhub.domains.workspaces.service import WorkspaceUpdate
from tests.factories import Workspace, make_key, make_user, make_workspace

API = "/api/v1/account"
PAGED = ("/credits/ledger", "/activity", "/history")


def test_the_account_is_the_workspace_and_its_owner(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    make_user(db, workspace, "boss@acme.example", "owner")
    data = WorkspaceUpdate(name="Acme Inc", address="1 Main St, Springfield", phone="+442079460018")
    with db.unit_of_work() as session:
        workspaces.update(session, workspace.principal(), data=data)
    answer = client.get(API, headers=headers)
    assert answer.status_code == 200
    found = answer.json()["data"]
    assert set(found) == {
        "id",
        "public_id",
        "name",
        "address",
        "phone",
        "email",
        "company",
        "status",
        "date_created",
    }
    assert found["id"] == workspace.id and found["public_id"] == workspace.public_id
    assert (found["name"], found["company"], found["status"]) == ("Acme Inc", "Acme Inc", "active")
    assert (found["address"], found["phone"]) == ("1 Main St, Springfield", "+442079460018")
    assert found["email"] == "boss@acme.example"
    assert found["date_created"].endswith("Z") or "+00:00" in found["date_created"]


def test_credits_and_their_ledger(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 100, reason="welcome")
        credits.spend(session, workspace.id, 30, "export 1")
        credits.refund(session, workspace.id, 5, "export 1 failed in part")
    summary = client.get(f"{API}/credits", headers=headers).json()["data"]
    assert summary == {"credits_total": 100, "credits_used": 25, "credits_left": 75}
    ledger = client.get(f"{API}/credits/ledger", params={"per_page": 2}, headers=headers).json()
    assert ledger["meta"]["total"] == 3
    assert [(line["kind"], line["amount"]) for line in ledger["data"]] == [
        ("refund", 5),
        ("spend", -30),
    ]
    assert set(ledger["data"][0]) == {"id", "kind", "amount", "reason", "created_at"}


def test_usage_shape(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    with db.unit_of_work() as session:
        account.set_quota(session, workspace.id, 100)
    client.get("/api/v1/leads", headers=headers)
    found = client.get(f"{API}/usage", headers=headers).json()["data"]
    assert set(found) == {"month", "quota", "calls", "remaining", "resets_at", "keys", "months"}
    assert (found["quota"], found["calls"], found["remaining"]) == (100, 2, 98)
    assert [set(key) for key in found["keys"]] == [{"id", "name", "calls"}]
    assert len(found["months"]) == 12 and found["months"][-1] == {
        "month": found["month"],
        "calls": 2,
    }


def test_activity_shape_and_filters(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    client.post("/api/v1/lists", json={"name": "Hot"}, headers=headers)
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 10)
    page = client.get(f"{API}/activity", headers=headers).json()
    assert [entry["action"] for entry in page["data"]][:2] == ["credits.added", "list.created"]
    entry = page["data"][1]
    assert set(entry) == {
        "id",
        "action",
        "actor",
        "target",
        "details",
        "ip_address",
        "date_created",
    }
    assert entry["actor"]["type"] == "api_key" and set(entry["actor"]) == {"type", "id", "name"}
    assert entry["target"]["type"] == "list"
    only_lists = client.get(f"{API}/activity", params={"action": "list"}, headers=headers).json()
    assert [e["action"] for e in only_lists["data"]] == ["list.created"]
    future = client.get(f"{API}/activity", params={"date_from": "2999-01-01"}, headers=headers)
    assert future.json()["meta"]["total"] == 0
    today = client.get(
        f"{API}/activity", params={"date_to": entry["date_created"][:10]}, headers=headers
    )
    assert today.json()["meta"]["total"] == page["meta"]["total"]  # a date alone: the whole day
    bad = client.get(f"{API}/activity", params={"date_to": "yesterday"}, headers=headers)
    assert bad.status_code == 422 and "date_to" in bad.json()["errors"]


@pytest.mark.parametrize("path", ["", "/credits", "/usage", *PAGED])
def test_every_account_endpoint_needs_read_account(
    client: TestClient, db: Database, workspace: Workspace, path: str
) -> None:
    leads_only = {"X-Api-Key": make_key(db, workspace, scopes=["read:leads"])}
    refused = client.get(f"{API}{path}", headers=leads_only)
    assert refused.status_code == 403 and refused.json()["code"] == "FORBIDDEN"
    allowed = {"X-Api-Key": make_key(db, workspace, scopes=["read:account"])}
    assert client.get(f"{API}{path}", headers=allowed).status_code == 200
    assert client.get(f"{API}{path}").status_code == 401


@pytest.mark.parametrize("path", PAGED)
def test_another_workspaces_records_are_never_listed(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str], path: str
) -> None:
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 10)
    client.get("/api/v1/leads", params={"search": "mine"}, headers=headers)
    other = make_workspace(db, "globex")
    other_headers = {"Authorization": f"Bearer {make_key(db, other)}"}
    found = client.get(f"{API}{path}", headers=other_headers).json()
    mine = client.get(f"{API}{path}", headers=headers).json()
    assert mine["meta"]["total"] >= 1
    assert all(entry.get("action") in (None, "api_key.created") for entry in found["data"]), found[
        "data"
    ]
    assert found["meta"]["total"] == (1 if path == "/activity" else 0)  # its own key's creation


def test_another_workspaces_usage_and_credits_are_not_seen(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 10)
    for _ in range(3):
        client.get("/api/v1/leads", headers=headers)
    other = make_workspace(db, "globex")
    other_headers = {"Authorization": f"Bearer {make_key(db, other)}"}
    usage = client.get(f"{API}/usage", headers=other_headers).json()["data"]
    assert usage["calls"] == 1 and len(usage["keys"]) == 1
    assert client.get(f"{API}/credits", headers=other_headers).json()["data"]["credits_total"] == 0
