"""The native API of exports and downloads."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.exports.helpers import credits_left, grant, make_list, run_jobs
from tests.factories import Workspace, make_key, make_lead, make_workspace


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_list_export_is_written_listed_and_served_with_the_key(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ada = make_lead(db, workspace, first_name="Ada", email="ada@example.com", job_title="CTO")
    bob = make_lead(db, workspace, first_name="Bob", email="bob@example.com")
    make_lead(db, workspace, first_name="Out", email="out@example.com")
    list_id = make_list(db, workspace, "Hot prospects!", [ada, bob])
    grant(db, workspace, 10)

    started = client.post(
        f"/api/v1/lists/{list_id}/exports", json={"format": "csv"}, headers=headers
    )
    assert started.status_code == 202, started.text
    data = started.json()["data"]
    assert data["status"] == "pending" and data["url"] is None
    assert data["row_count"] == 2 and data["credits_spent"] == 2 and data["list_id"] == list_id
    assert data["filename"].startswith("hot-prospects-") and data["filename"].endswith(".csv")
    assert data["extension"] == "csv"
    assert credits_left(db, workspace) == 8

    run_jobs(app)
    listed = client.get("/api/v1/downloads", headers=headers).json()
    assert listed["meta"]["total"] == 1
    item = listed["data"][0]
    assert item["id"] == data["id"] and item["status"] == "done"
    assert item["url"].startswith("http://testserver/downloads/")
    assert item["file_size"] > 0
    assert set(item) >= {"id", "filename", "extension", "url", "date_created", "status"}

    served = client.get(f"/api/v1/downloads/{data['id']}/file", headers=headers)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/csv")
    assert served.headers["cache-control"] == "private, no-store"
    assert served.headers["content-disposition"] == f'attachment; filename="{data["filename"]}"'
    rows = read_csv(served.content)
    assert [row["email"] for row in rows] == ["ada@example.com", "bob@example.com"]
    assert rows[0]["title"] == "CTO"


def test_a_filter_export_takes_the_lead_lists_filters(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Won", email="won@example.com", status="won", tags=["vip"])
    make_lead(db, workspace, first_name="New", email="new@example.com", status="new", tags=["vip"])
    make_lead(db, workspace, first_name="Lost", email="lost@example.com", status="lost")
    grant(db, workspace, 100)
    body = {"format": "csv", "filters": {"status": ["won", "new"], "tag": "vip", "per_page": 1}}
    started = client.post("/api/v1/exports", json=body, headers=headers)
    assert started.status_code == 202, started.text
    assert started.json()["data"]["row_count"] == 2
    assert started.json()["data"]["filename"].startswith("leads-")
    run_jobs(app)
    export_id = started.json()["data"]["id"]
    rows = read_csv(client.get(f"/api/v1/downloads/{export_id}/file", headers=headers).content)
    assert sorted(row["email"] for row in rows) == ["new@example.com", "won@example.com"]
    assert all(row["tags"] == "vip" for row in rows)


def test_an_unknown_filter_or_format_is_refused(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    grant(db, workspace, 100)
    typo = client.post("/api/v1/exports", json={"filters": {"stauts": "won"}}, headers=headers)
    assert typo.status_code == 422
    assert typo.json()["code"] == "VALIDATION_FAILED"
    bad = client.post("/api/v1/exports", json={"format": "pdf"}, headers=headers)
    assert bad.status_code == 422 and "format" in bad.json()["errors"]
    assert client.get("/api/v1/downloads", headers=headers).json()["meta"]["total"] == 0


def test_without_enough_credits_the_export_is_refused_and_nothing_is_spent(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    ids = [make_lead(db, workspace, email=f"l{n}@example.com") for n in range(3)]
    list_id = make_list(db, workspace, "Three", ids)
    grant(db, workspace, 2)
    refused = client.post(f"/api/v1/lists/{list_id}/exports", json={}, headers=headers)
    assert refused.status_code == 402
    body = refused.json()
    assert body["status"] == "error" and body["code"] == "INSUFFICIENT_CREDITS"
    assert "3 credits" in body["message"]
    assert credits_left(db, workspace) == 2
    assert client.get("/api/v1/downloads", headers=headers).json()["meta"]["total"] == 0


def test_deleting_a_download_deletes_its_file(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    list_id = make_list(db, workspace, "One", [make_lead(db, workspace, email="a@example.com")])
    grant(db, workspace, 5)
    export_id = client.post(f"/api/v1/lists/{list_id}/exports", headers=headers).json()["data"][
        "id"
    ]
    run_jobs(app)
    url = client.get(f"/api/v1/downloads/{export_id}", headers=headers).json()["data"]["url"]
    assert client.get(url).status_code == 200
    assert client.delete(f"/api/v1/downloads/{export_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/downloads/{export_id}", headers=headers).status_code == 404
    assert client.get(url).status_code == 404
    store_root = app.state.runtime.store.root
    assert not list((store_root / "exports").rglob("*.csv"))
    assert credits_left(db, workspace) == 4  # a written export is not refunded


def test_scopes_and_other_workspaces(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    list_id = make_list(db, workspace, "One", [make_lead(db, workspace, email="a@example.com")])
    grant(db, workspace, 5)
    export_id = client.post(f"/api/v1/lists/{list_id}/exports", headers=headers).json()["data"][
        "id"
    ]
    run_jobs(app)
    reader = {"X-Api-Key": make_key(db, workspace, scopes=["read:exports"])}
    assert client.get(f"/api/v1/downloads/{export_id}", headers=reader).status_code == 200
    assert client.post(f"/api/v1/lists/{list_id}/exports", headers=reader).status_code == 403
    assert client.delete(f"/api/v1/downloads/{export_id}", headers=reader).status_code == 403
    other = make_workspace(db, "other")
    stranger = {"X-Api-Key": make_key(db, other)}
    for path in (f"/api/v1/downloads/{export_id}", f"/api/v1/downloads/{export_id}/file"):
        response = client.get(path, headers=stranger)
        assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"
    assert client.delete(f"/api/v1/downloads/{export_id}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/lists/{list_id}/exports", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/downloads/{export_id}", headers=headers).status_code == 200


def test_a_pending_export_has_no_file_yet(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, email="a@example.com")
    grant(db, workspace, 5)
    export_id = client.post("/api/v1/exports", json={}, headers=headers).json()["data"]["id"]
    assert client.get(f"/api/v1/downloads/{export_id}/file", headers=headers).status_code == 404
