"""An agency's key on /api/v1/clients/{client_id}/…: the client's data, only through an active
grant, within both the key's scopes and the grant's permissions; /me and /clients."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from tests.factories import Workspace, make_key, make_lead, make_workspace


@pytest.fixture
def agency(db: Database) -> Workspace:
    return make_workspace(db, "agency", agency=True)


@pytest.fixture
def client_ws(db: Database) -> Workspace:
    return make_workspace(db, "client-a")


def grant(db: Database, *permissions: str) -> int:
    with db.unit_of_work() as session:
        return grants.create(
            session, agency_slug="agency", client_slug="client-a", permissions=list(permissions)
        ).id


def key(db: Database, workspace: Workspace, *scopes: str) -> dict[str, str]:
    return {"X-Api-Key": make_key(db, workspace, scopes=list(scopes) or None)}


def test_the_agency_reads_the_clients_leads_through_its_grant(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant(db, "leads:read")
    theirs = make_lead(db, client_ws, first_name="Client lead")
    ours = make_lead(db, agency, first_name="Agency lead")
    headers = key(db, agency)
    base = f"/api/v1/clients/{client_ws.public_id}/leads"
    listed = client.get(f"{base}?per_page=1", headers=headers)
    assert listed.status_code == 200, listed.text
    assert [lead["id"] for lead in listed.json()["data"]] == [theirs]
    assert listed.json()["links"]["first"].startswith(f"http://testserver{base}")
    assert client.get(f"{base}/{theirs}", headers=headers).status_code == 200
    assert client.get(f"{base}/{ours}", headers=headers).status_code == 404
    # The same key's direct routes stay on the agency's own workspace.
    direct = client.get("/api/v1/leads", headers=headers).json()["data"]
    assert [lead["id"] for lead in direct] == [ours]


def test_the_grant_and_the_key_both_bound_what_the_agency_does(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant(db, "leads:read")
    base = f"/api/v1/clients/{client_ws.public_id}/leads"
    refused = client.post(base, json={"first_name": "X"}, headers=key(db, agency))
    assert refused.status_code == 403
    assert "grant on this client does not allow write:leads" in refused.json()["message"]
    tags = client.get(f"/api/v1/clients/{client_ws.public_id}/tags", headers=key(db, agency))
    assert tags.status_code == 403
    narrow = key(db, agency, "read:tags")
    assert client.get(base, headers=narrow).status_code == 403  # the key lacks read:leads


def test_without_an_active_grant_every_client_route_is_forbidden(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant_id = grant(db, "*")
    headers = key(db, agency)
    base = f"/api/v1/clients/{client_ws.public_id}/leads"
    assert client.get(base, headers=headers).status_code == 200
    with db.unit_of_work() as session:
        grants.revoke(session, grant_id)
    assert client.get(base, headers=headers).status_code == 403  # at once
    unknown = client.get("/api/v1/clients/ws_nobody/leads", headers=headers)
    assert unknown.status_code == 403
    assert unknown.json()["message"] == client.get(base, headers=headers).json()["message"]
    # The client's own key, or any other workspace's, has no client routes either.
    other = key(db, make_workspace(db, "other"))
    assert client.get(base, headers=other).status_code == 403
    assert client.get(base).status_code == 401


def test_me_says_who_the_key_is(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    me = client.get("/api/v1/me", headers=key(db, agency, "read:clients")).json()["data"]
    assert me["actor_type"] == "agency" and me["scopes"] == ["read:clients"]
    assert me["workspace"]["public_id"] == agency.public_id
    plain = client.get("/api/v1/me", headers=key(db, client_ws)).json()["data"]
    assert plain["actor_type"] == "workspace" and plain["scopes"] == ["*"]


def test_clients_lists_the_agencys_grants(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    grant(db, "leads:read", "posts:write")
    listed = client.get("/api/v1/clients", headers=key(db, agency, "clients:read"))
    assert listed.status_code == 200, listed.text
    (only,) = listed.json()["data"]
    assert only["id"] == client_ws.public_id and only["slug"] == "client-a"
    assert only["grant"]["status"] == "active"
    assert sorted(only["grant"]["permissions"]) == ["read:leads", "write:posts"]
    assert listed.json()["meta"]["total"] == 1
    assert client.get("/api/v1/clients", headers=key(db, agency, "read:leads")).status_code == 403
    theirs = client.get("/api/v1/clients", headers=key(db, client_ws)).json()
    assert theirs["data"] == []
