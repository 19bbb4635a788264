"""An agency's key on /api/v1/clients/{client_id}/…: the client's data, only through an active
grant, within both the key's scopes and the grant's permissions; /me and /clients."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from tests.conftest import BASE_URL, node_app
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


def test_revoking_a_grant_pauses_what_the_agency_set_up_to_send_the_clients_data_out(
    settings: Settings, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    # A node that lets webhooks reach loopback, where these (never called) addresses point.
    allowed = settings.model_copy(update={"webhook_allow_private": True})
    app = node_app(allowed, db)
    client = TestClient(app, base_url=BASE_URL)
    grant_id = grant(db, "*")
    agency_key, own_key = key(db, agency), key(db, client_ws)
    base = f"/api/v1/clients/{client_ws.public_id}"
    hook = {"url": "http://127.0.0.1:9/leads", "events": ["*"]}
    slack = {"type": "slack", "settings": {"webhook_url": "https://hooks.slack.com/services/T/B/X"}}
    automation = {
        "name": "Tell the agency",
        "trigger": "lead_created",
        "actions": [{"type": "call_webhook", "url": "http://127.0.0.1:9/new"}],
    }
    made: dict[str, list[int]] = {}
    for kind, path, body in (
        ("webhooks", "webhooks", hook),
        ("integrations", "integrations", slack),
        ("automations", "automations", automation),
    ):
        theirs = client.post(f"{base}/{path}", json=body, headers=agency_key)
        assert theirs.status_code == 201, theirs.text
        ours = client.post(f"/api/v1/{path}", json=body, headers=own_key)
        assert ours.status_code == 201, ours.text
        made[kind] = [theirs.json()["data"]["id"], ours.json()["data"]["id"]]
    # A webhook of the client's own, which the agency changed: the agency set it up last.
    changed = client.post("/api/v1/webhooks", json=hook, headers=own_key).json()["data"]["id"]
    patched = client.patch(
        f"{base}/webhooks/{changed}", json={"url": "http://127.0.0.1:9/changed"}, headers=agency_key
    )
    assert patched.status_code == 200, patched.text

    with db.unit_of_work() as session:
        grants.revoke(session, grant_id)

    def active(path: str, record_id: int) -> bool:
        answer = client.get(f"/api/v1/{path}/{record_id}", headers=own_key)
        assert answer.status_code == 200, answer.text
        is_active: bool = answer.json()["data"]["is_active"]
        return is_active

    for kind, (theirs, ours) in made.items():
        assert not active(kind, theirs), kind  # paused: the agency's reach ends with its grant
        assert active(kind, ours), kind  # the client's own keep running
    assert not active("webhooks", changed)
    entries = client.get("/api/v1/account/activity?action=grant.revoked", headers=own_key)
    assert entries.status_code == 200, entries.text
    (entry,) = entries.json()["data"]
    assert entry["details"]["paused"] == {
        "automations": [made["automations"][0]],
        "integrations": [made["integrations"][0]],
        "webhooks": [made["webhooks"][0], changed],
    }

    # The client switches one back on: it is theirs now, and a later revocation leaves it be.
    switched_on = client.patch(
        f"/api/v1/webhooks/{changed}", json={"is_active": True}, headers=own_key
    )
    assert switched_on.status_code == 200, switched_on.text
    with db.unit_of_work() as session:
        grants.create(session, agency_slug="agency", client_slug="client-a", permissions=["*"])
    with db.unit_of_work() as session:
        grants.revoke(session, grant_id)
    assert active("webhooks", changed)
