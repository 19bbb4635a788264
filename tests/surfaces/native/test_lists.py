from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_lead, make_workspace

API = "/api/v1/lists"


def new_list(client: TestClient, headers: dict[str, str], name: str = "Prospects") -> int:
    response = client.post(API, json={"name": name}, headers=headers)
    assert response.status_code == 201, response.text
    list_id: int = response.json()["data"]["id"]
    return list_id


def test_create_get_rename_and_delete_a_list(client: TestClient, headers: dict[str, str]) -> None:
    created = client.post(API, json={"name": "Prospects", "description": "Q4"}, headers=headers)
    assert created.status_code == 201
    data = created.json()["data"]
    assert data["name"] == "Prospects" and data["description"] == "Q4"
    assert data["total_contacts"] == 0
    renamed = client.patch(f"{API}/{data['id']}", json={"name": "Hot"}, headers=headers)
    assert renamed.json()["data"]["name"] == "Hot"
    assert renamed.json()["data"]["description"] == "Q4"
    assert client.get(f"{API}/{data['id']}", headers=headers).json()["data"]["name"] == "Hot"
    assert client.delete(f"{API}/{data['id']}", headers=headers).status_code == 204
    assert client.get(f"{API}/{data['id']}", headers=headers).status_code == 404


def test_list_names_are_unique_regardless_of_case(
    client: TestClient, headers: dict[str, str]
) -> None:
    new_list(client, headers, "Prospects")
    response = client.post(API, json={"name": "prospects"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["The name has already been taken."]}
    other = new_list(client, headers, "Other")
    clash = client.put(f"{API}/{other}", json={"name": "PROSPECTS"}, headers=headers)
    assert clash.status_code == 422


def test_a_blank_name_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(API, json={"name": "  "}, headers=headers)
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


def test_leads_join_and_leave_a_list_and_the_lead_list_filters_on_it(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    first = make_lead(db, workspace, email="a@example.com")
    second = make_lead(db, workspace, email="b@example.com")
    outside = make_lead(db, workspace, email="c@example.com")
    list_id = new_list(client, headers)
    added = client.post(
        f"{API}/{list_id}/leads", json={"lead_ids": [first, second]}, headers=headers
    )
    assert added.json()["data"] == {
        "list_id": list_id,
        "changed": 2,
        "unchanged": 0,
        "total_contacts": 2,
    }
    again = client.post(f"{API}/{list_id}/leads", json={"lead_ids": [second]}, headers=headers)
    assert again.json()["data"]["changed"] == 0 and again.json()["data"]["unchanged"] == 1
    in_list = client.get("/api/v1/leads", params={"list_id": list_id}, headers=headers).json()
    assert {lead["id"] for lead in in_list["data"]} == {first, second}
    assert outside not in {lead["id"] for lead in in_list["data"]}
    assert client.get(f"{API}/{list_id}", headers=headers).json()["data"]["total_contacts"] == 2

    removed = client.post(
        f"{API}/{list_id}/leads/remove", json={"lead_ids": [first, outside]}, headers=headers
    )
    assert removed.json()["data"]["changed"] == 1 and removed.json()["data"]["unchanged"] == 1
    assert client.delete(f"{API}/{list_id}/leads/{second}", headers=headers).status_code == 204
    assert client.delete(f"{API}/{list_id}/leads/{second}", headers=headers).status_code == 404
    assert client.get(f"{API}/{list_id}", headers=headers).json()["data"]["total_contacts"] == 0
    # The leads themselves stay.
    assert client.get(f"/api/v1/leads/{first}", headers=headers).status_code == 200


def test_a_lead_can_be_in_many_lists_and_deleting_a_list_keeps_its_leads(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = make_lead(db, workspace, email="a@example.com")
    one, two = new_list(client, headers, "One"), new_list(client, headers, "Two")
    for list_id in (one, two):
        client.post(f"{API}/{list_id}/leads", json={"lead_ids": [lead]}, headers=headers)
    client.delete(f"{API}/{one}", headers=headers)
    assert client.get(f"/api/v1/leads/{lead}", headers=headers).status_code == 200
    assert client.get(f"{API}/{two}", headers=headers).json()["data"]["total_contacts"] == 1


def test_unknown_leads_are_refused_and_nothing_is_added(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = make_lead(db, workspace, email="a@example.com")
    stranger = make_lead(db, make_workspace(db, "other"), email="x@example.com")
    list_id = new_list(client, headers)
    response = client.post(
        f"{API}/{list_id}/leads", json={"lead_ids": [lead, stranger]}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"lead_ids": [f"These leads do not exist: {stranger}."]}
    assert client.get(f"{API}/{list_id}", headers=headers).json()["data"]["total_contacts"] == 0


def test_membership_calls_take_between_one_and_a_thousand_leads(
    client: TestClient, headers: dict[str, str]
) -> None:
    list_id = new_list(client, headers)
    assert (
        client.post(f"{API}/{list_id}/leads", json={"lead_ids": []}, headers=headers).status_code
        == 422
    )
    many = list(range(1, 1002))
    assert (
        client.post(f"{API}/{list_id}/leads", json={"lead_ids": many}, headers=headers).status_code
        == 422
    )


def test_another_workspaces_list_is_not_found(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    other = make_workspace(db, "other")
    foreign = client.post(
        API, json={"name": "Theirs"}, headers={"Authorization": f"Bearer {make_key(db, other)}"}
    )
    foreign_id = foreign.json()["data"]["id"]
    assert client.get(f"{API}/{foreign_id}", headers=headers).status_code == 404
    assert client.delete(f"{API}/{foreign_id}", headers=headers).status_code == 404
    assert (
        client.post(
            f"{API}/{foreign_id}/leads", json={"lead_ids": [1]}, headers=headers
        ).status_code
        == 404
    )
    assert client.get(API, headers=headers).json()["meta"]["total"] == 0


def test_list_scopes_are_enforced(client: TestClient, db: Database, workspace: Workspace) -> None:
    reader = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['read:lists'])}"}
    assert client.get(API, headers=reader).status_code == 200
    assert client.post(API, json={"name": "x"}, headers=reader).status_code == 403
    writer = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['write:lists'])}"}
    list_id = client.post(API, json={"name": "x"}, headers=writer).json()["data"]["id"]
    assert client.delete(f"{API}/{list_id}", headers=reader).status_code == 403
    # No document names delete:lists, so write:lists also deletes.
    assert client.delete(f"{API}/{list_id}", headers=writer).status_code == 204
