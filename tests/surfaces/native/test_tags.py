from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_lead, make_workspace

API = "/api/v1/tags"


def lead_tags(client: TestClient, headers: dict[str, str], lead_id: int) -> list[str]:
    tags: list[str] = client.get(f"/api/v1/leads/{lead_id}", headers=headers).json()["data"]["tags"]
    return tags


def test_create_and_list_tags(client: TestClient, headers: dict[str, str]) -> None:
    created = client.post(API, json={"name": "VIP", "color": "#ff0000"}, headers=headers)
    assert created.status_code == 201
    assert created.json()["data"]["name"] == "VIP"
    client.post(API, json={"name": "alpha"}, headers=headers)
    listed = client.get(API, headers=headers).json()
    assert [tag["name"] for tag in listed["data"]] == ["alpha", "VIP"]
    assert listed["meta"]["total"] == 2


def test_tag_names_are_unique_regardless_of_case(
    client: TestClient, headers: dict[str, str]
) -> None:
    client.post(API, json={"name": "VIP"}, headers=headers)
    response = client.post(API, json={"name": "vip"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["The name has already been taken."]}


def test_tag_color_must_be_hex(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(API, json={"name": "x", "color": "red"}, headers=headers)
    assert response.status_code == 422
    assert "color" in response.json()["errors"]


def test_renaming_a_tag_renames_it_on_every_lead(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, tags=["hot"])
    tag = client.get(API, headers=headers).json()["data"][0]
    assert tag["leads_count"] == 1
    response = client.patch(f"{API}/{tag['id']}", json={"name": "warm"}, headers=headers)
    assert response.status_code == 200
    assert lead_tags(client, headers, lead_id) == ["warm"]
    filtered = client.get("/api/v1/leads?tag=warm", headers=headers).json()
    assert [lead["id"] for lead in filtered["data"]] == [lead_id]


def test_renaming_onto_an_existing_name_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    client.post(API, json={"name": "a"}, headers=headers)
    second = client.post(API, json={"name": "b"}, headers=headers).json()["data"]
    response = client.put(f"{API}/{second['id']}", json={"name": "A"}, headers=headers)
    assert response.status_code == 422


def test_deleting_a_tag_removes_it_from_leads(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, tags=["hot", "cold"])
    hot = next(t for t in client.get(API, headers=headers).json()["data"] if t["name"] == "hot")
    assert client.delete(f"{API}/{hot['id']}", headers=headers).status_code == 204
    assert lead_tags(client, headers, lead_id) == ["cold"]
    assert client.get(f"{API}/{hot['id']}", headers=headers).status_code == 404


def test_another_workspace_cannot_reach_a_tag(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    tag_id = client.post(API, json={"name": "mine"}, headers=headers).json()["data"]["id"]
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert client.get(f"{API}/{tag_id}", headers=other).status_code == 404
    assert client.patch(f"{API}/{tag_id}", json={"name": "x"}, headers=other).status_code == 404
    assert client.delete(f"{API}/{tag_id}", headers=other).status_code == 404
    assert client.get(API, headers=other).json()["meta"]["total"] == 0
