"""Leadsopedia's downloads, at /downloads and at /mydownloads."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.exports.helpers import credits_left, grant, make_list, run_jobs
from tests.factories import Workspace, make_key, make_lead, make_workspace

BASE = "/compat/leadsopedia/v1"
FORMS = ("downloads", "mydownloads")


def exported(app: FastAPI, client: TestClient, db: Database, workspace: Workspace, key: str) -> int:
    lead_ids = [make_lead(db, workspace, email=f"p{number}@example.com") for number in range(3)]
    list_id = make_list(db, workspace, "Prospects", lead_ids)
    grant(db, workspace, 10)
    response = client.post(
        f"/api/v1/lists/{list_id}/exports", json={"format": "csv"}, headers={"X-Api-Key": key}
    )
    assert response.status_code == 202, response.text
    run_jobs(app)
    export_id: int = response.json()["data"]["id"]
    return export_id


@pytest.mark.parametrize("form", FORMS)
def test_downloads_list_and_one_download_in_both_url_forms(
    form: str, app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace)
    export_id = exported(app, client, db, workspace, key)
    headers = {"X-Api-Key": key}
    listed = client.get(f"{BASE}/{form}", headers=headers).json()
    assert listed["total"] == 1 and listed["limit"] == 100 and listed["pagesCount"] == 1
    item = listed["downloads"][0]
    assert {"id", "filename", "extension", "url", "date_created"} <= set(item)
    assert item["id"] == export_id and item["extension"] == "csv"
    assert item["filename"].endswith(".csv") and item["date_created"].endswith("Z")
    one = client.get(f"{BASE}/{form}/{export_id}", headers=headers)
    assert one.status_code == 200 and one.json()["filename"] == item["filename"]
    # The signed url serves the file without a key.
    url = httpx.URL(one.json()["url"])
    served = client.get(url.raw_path.decode())
    assert served.status_code == 200
    rows = list(csv.DictReader(io.StringIO(served.text)))
    assert sorted(row["email"] for row in rows) == [f"p{n}@example.com" for n in range(3)]
    assert credits_left(db, workspace) == 7


@pytest.mark.parametrize("form", FORMS)
def test_delete_a_download_in_both_url_forms(
    form: str, app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace)
    export_id = exported(app, client, db, workspace, key)
    headers = {"X-Api-Key": key}
    assert client.delete(f"{BASE}/{form}/{export_id}", headers=headers).status_code == 204
    missing = client.get(f"{BASE}/{form}/{export_id}", headers=headers)
    assert missing.status_code == 404 and missing.json() == {"message": "Export not found."}


def test_downloads_need_the_exports_scopes_and_stay_in_their_workspace(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    export_id = exported(app, client, db, workspace, make_key(db, workspace))
    no_scope = {"X-Api-Key": make_key(db, workspace, scopes=["read:lists"])}
    assert client.get(f"{BASE}/downloads", headers=no_scope).status_code == 403
    reader = {"X-Api-Key": make_key(db, workspace, scopes=["read:exports"])}
    assert client.get(f"{BASE}/downloads", headers=reader).status_code == 200
    assert client.delete(f"{BASE}/downloads/{export_id}", headers=reader).status_code == 403
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert client.get(f"{BASE}/mydownloads/{export_id}", headers=other).status_code == 404
    assert client.get(f"{BASE}/mydownloads", headers=other).json()["total"] == 0
