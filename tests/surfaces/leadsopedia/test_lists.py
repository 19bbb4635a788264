"""Leadsopedia's /mylists, as its document shows them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_lead, make_workspace

BASE = "/compat/leadsopedia/v1"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def api_key(db: Database, workspace: Workspace, *scopes: str) -> dict[str, str]:
    return {"X-Api-Key": make_key(db, workspace, scopes=list(scopes) or ["*"])}


def test_create_list_answers_201_with_its_location_and_details(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = api_key(db, workspace)
    response = client.post(f"{BASE}/mylists", json={"name": "My List"}, headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "total_contacts", "date_created"}
    assert body["name"] == "My List" and body["total_contacts"] == 0
    assert isinstance(body["id"], str) and ISO.match(body["date_created"])
    assert response.headers["Location"].endswith(f"{BASE}/mylists/{body['id']}")
    fetched = client.get(f"{BASE}/mylists/{body['id']}", headers=headers)
    assert fetched.status_code == 200 and fetched.json() == body


def test_creating_a_list_with_a_name_in_use_updates_it_instead_of_duplicating(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = api_key(db, workspace)
    first = client.post(f"{BASE}/mylists", json={"name": "My List"}, headers=headers).json()
    again = client.post(f"{BASE}/mylists", json={"name": "my list"}, headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["name"] == "my list"
    assert client.get(f"{BASE}/mylists", headers=headers).json()["total"] == 1


def test_update_list_by_id_and_delete_it(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = api_key(db, workspace)
    list_id = client.post(f"{BASE}/mylists", json={"name": "My List"}, headers=headers).json()["id"]
    updated = client.post(
        f"{BASE}/mylists/{list_id}", json={"id": list_id, "name": "My Other List"}, headers=headers
    )
    assert updated.status_code == 200 and updated.json()["name"] == "My Other List"
    mismatch = client.post(
        f"{BASE}/mylists/{list_id}", json={"id": 999, "name": "x"}, headers=headers
    )
    assert mismatch.status_code == 400 and "id" in mismatch.json()["errors"]
    assert client.delete(f"{BASE}/mylists/{list_id}", headers=headers).status_code == 204
    missing = client.get(f"{BASE}/mylists/{list_id}", headers=headers)
    assert missing.status_code == 404 and missing.json() == {"message": "List not found."}


def test_lists_page_with_page_limit_pages_count_and_links(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = api_key(db, workspace)
    for number in range(5):
        client.post(f"{BASE}/mylists", json={"name": f"List {number}"}, headers=headers)
    first = client.get(f"{BASE}/mylists", headers=headers).json()
    assert first["limit"] == 100 and first["page"] == 1 and first["pagesCount"] == 1
    assert first["total"] == first["count"] == 5 and len(first["lists"]) == 5
    assert first["next"] is None and first["previous"] is None
    second = client.get(f"{BASE}/mylists", params={"page": 2, "limit": 2}, headers=headers).json()
    assert [item["name"] for item in second["lists"]] == ["List 2", "List 3"]
    assert second["pagesCount"] == 3
    assert second["next"].endswith(f"{BASE}/mylists?page=3&limit=2")
    assert second["previous"].endswith(f"{BASE}/mylists?page=1&limit=2")


def test_total_contacts_counts_the_lists_leads(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = api_key(db, workspace)
    list_id = client.post(f"{BASE}/mylists", json={"name": "L"}, headers=headers).json()["id"]
    for email in ("a@example.com", "b@example.com"):
        client.post(
            f"{BASE}/contacts", json={"list_id": int(list_id), "email": email}, headers=headers
        )
    assert client.get(f"{BASE}/mylists/{list_id}", headers=headers).json()["total_contacts"] == 2


def test_bad_input_is_a_400_in_the_surfaces_shape(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = api_key(db, workspace)
    missing = client.post(f"{BASE}/mylists", json={}, headers=headers)
    assert missing.status_code == 400
    assert missing.json()["message"] and "name" in missing.json()["errors"]
    assert client.get(f"{BASE}/mylists", params={"limit": 0}, headers=headers).status_code == 400
    assert client.get(f"{BASE}/mylists/abc", headers=headers).status_code == 400


def test_keys_scopes_and_workspaces(client: TestClient, db: Database, workspace: Workspace) -> None:
    assert client.get(f"{BASE}/mylists").status_code == 401
    assert client.get(f"{BASE}/mylists").json()["message"]
    reader = api_key(db, workspace, "read:lists")
    assert client.get(f"{BASE}/mylists", headers=reader).status_code == 200
    refused = client.post(f"{BASE}/mylists", json={"name": "x"}, headers=reader)
    assert refused.status_code == 403 and "message" in refused.json()
    other = api_key(db, make_workspace(db, "other"))
    theirs = client.post(f"{BASE}/mylists", json={"name": "Theirs"}, headers=other).json()["id"]
    mine = api_key(db, workspace)
    assert client.get(f"{BASE}/mylists/{theirs}", headers=mine).status_code == 404
    assert client.delete(f"{BASE}/mylists/{theirs}", headers=mine).status_code == 404
    assert client.get(f"{BASE}/mylists", headers=mine).json()["total"] == 0
    make_lead(db, workspace, email="a@example.com")  # a lead in no list is no contact
    assert client.get(f"{BASE}/contacts", headers=mine).json()["total"] == 0


def test_unknown_paths_and_methods(client: TestClient, db: Database, workspace: Workspace) -> None:
    headers = api_key(db, workspace)
    assert client.get(f"{BASE}/nothing", headers=headers).status_code == 404
    put = client.put(f"{BASE}/mylists/1", json={}, headers=headers)
    assert put.status_code == 405 and "POST" in put.headers["Allow"]
