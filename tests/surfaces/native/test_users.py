from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import User
from tests.factories import Workspace, make_key, make_lead, make_user, make_workspace

API = "/api/v1/users"


def new_user(client: TestClient, headers: dict[str, str], **fields: object) -> dict[str, object]:
    body = {"name": "Ann", "email": "ann@example.com", "password": "long-enough", **fields}
    response = client.post(API, json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, object] = response.json()["data"]
    return data


def test_create_user_never_returns_the_password(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    user = new_user(client, headers, email="Ann@Example.com")
    assert user["email"] == "ann@example.com"
    assert user["role"] == "member"
    assert "password" not in user and "password_hash" not in user
    with db.unit_of_work(write=False) as session:
        stored = session.get(User, user["id"])
        assert stored is not None and stored.password_hash
        assert "long-enough" not in stored.password_hash


def test_create_user_validates(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        API,
        json={"name": "", "email": "nope", "password": "short", "role": "boss"},
        headers=headers,
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "password", "role"}
    bad_email = client.post(
        API, json={"name": "A", "email": "nope", "password": "long-enough"}, headers=headers
    )
    assert bad_email.json()["errors"] == {
        "email": ["The email field must be a valid email address."]
    }


def test_email_is_unique_in_the_workspace_only(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    new_user(client, headers)
    again = client.post(
        API,
        json={"name": "B", "email": "ANN@example.com", "password": "long-enough"},
        headers=headers,
    )
    assert again.status_code == 422
    assert again.json()["errors"] == {"email": ["The email has already been taken."]}
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert new_user(client, other)["email"] == "ann@example.com"


def test_update_user(client: TestClient, headers: dict[str, str]) -> None:
    user = new_user(client, headers)
    response = client.patch(
        f"{API}/{user['id']}", json={"role": "admin", "is_active": False}, headers=headers
    )
    assert response.status_code == 200
    assert (response.json()["data"]["role"], response.json()["data"]["is_active"]) == (
        "admin",
        False,
    )


def test_the_last_owner_cannot_be_demoted_deactivated_or_deleted(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    owner = make_user(db, workspace, "boss@example.com", role="owner")
    for change in ({"role": "member"}, {"is_active": False}):
        response = client.patch(f"{API}/{owner}", json=change, headers=headers)
        assert response.status_code == 422, change
    assert client.delete(f"{API}/{owner}", headers=headers).status_code == 422
    second = make_user(db, workspace, "second@example.com", role="owner")
    assert (
        client.patch(f"{API}/{owner}", json={"role": "admin"}, headers=headers).status_code == 200
    )
    assert client.delete(f"{API}/{second}", headers=headers).status_code == 422


def test_deleting_a_user_unassigns_their_leads(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    user = make_user(db, workspace, "rep@example.com")
    lead_id = make_lead(db, workspace, assigned_user_id=user)
    assert client.delete(f"{API}/{user}", headers=headers).status_code == 204
    lead = client.get(f"/api/v1/leads/{lead_id}", headers=headers).json()["data"]
    assert lead["assigned_user_id"] is None
    assert client.get(f"{API}/{user}", headers=headers).status_code == 404


def test_another_workspace_cannot_reach_a_user(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    user = make_user(db, workspace, "rep@example.com")
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    assert client.get(f"{API}/{user}", headers=other).status_code == 404
    assert client.patch(f"{API}/{user}", json={"name": "x"}, headers=other).status_code == 404
    assert client.delete(f"{API}/{user}", headers=other).status_code == 404


def test_deleting_users_needs_the_delete_scope(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    user = make_user(db, workspace, "rep@example.com")
    writer = {"X-Api-Key": make_key(db, workspace, scopes=["write:users", "read:users"])}
    assert client.delete(f"{API}/{user}", headers=writer).status_code == 403
