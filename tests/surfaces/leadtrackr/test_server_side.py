"""POST /compat/leadtrackr/api/leads/createServerSideLead: createLead's body from a server, with
a key holding write:leads; its projectId, when sent, must be the key's own project."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_workspace
from tests.surfaces.leadtrackr.helpers import (
    CREATE_SERVER_SIDE,
    assert_message,
    get_leads,
    native_lead,
)

BODY: dict[str, Any] = {
    "userData": {"firstName": "Sam", "email": "sam@example.com"},
    "attributionData": {"gclid": "g-1"},
    "formData": {"formName": "Backend", "uniqueEventId": "srv-1", "plan": "pro"},
    "deviceData": {"ipAddress": "2001:db8::1", "userAgent": "Chrome"},
    "channelFlow": "google / cpc",
    "uniqueIdentifier": "crm-9",
}


def test_a_key_with_write_leads_creates_a_lead(
    client: TestClient, key: str, headers: dict[str, str]
) -> None:
    response = client.post(CREATE_SERVER_SIDE, json=BODY, headers={"X-API-Key": key})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["message"] == "Lead created successfully"
    assert body["uniqueIdentifier"] == "crm-9"
    stored = native_lead(client, headers, body["leadId"])
    assert (stored["status"], stored["source"]) == ("open", "leadtrackr")
    assert (stored["first_name"], stored["email"]) == ("Sam", "sam@example.com")
    assert (stored["form_name"], stored["form_data"]) == ("Backend", {"plan": "pro"})
    assert stored["device"] == {"ip_address": "2001:db8::1", "user_agent": "Chrome"}
    assert stored["channel_flow"] == "google / cpc"
    assert stored["attribution"]["gclid"] == "g-1"


def test_the_servers_own_address_is_not_the_leads_device(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = {"userData": {"email": "a@example.com"}}
    response = client.post(CREATE_SERVER_SIDE, json=body, headers=headers)
    assert response.status_code == 201, response.text
    stored = native_lead(client, headers, response.json()["leadId"])
    assert stored["device"] == {"ip_address": None, "user_agent": None}


def test_the_keys_own_project_id_is_accepted(
    client: TestClient, headers: dict[str, str], workspace: Workspace
) -> None:
    response = client.post(
        CREATE_SERVER_SIDE, json={**BODY, "projectId": workspace.public_id}, headers=headers
    )
    assert response.status_code == 201, response.text


def test_another_projects_id_is_403_and_nothing_is_stored(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    other = make_workspace(db, "globex")
    response = client.post(
        CREATE_SERVER_SIDE, json={**BODY, "projectId": other.public_id}, headers=headers
    )
    assert_message(response, 403, "projectId")
    assert get_leads(client, headers)["total"] == 0


def test_the_same_event_again_updates_the_lead(client: TestClient, headers: dict[str, str]) -> None:
    first = client.post(CREATE_SERVER_SIDE, json=BODY, headers=headers)
    second = client.post(
        CREATE_SERVER_SIDE,
        json={**BODY, "userData": {"firstName": "Samuel", "email": "sam@example.com"}},
        headers=headers,
    )
    assert second.status_code == 200, second.text
    assert second.json()["message"] == "Lead updated successfully"
    assert second.json()["leadId"] == first.json()["leadId"]
    assert native_lead(client, headers, first.json()["leadId"])["first_name"] == "Samuel"


def test_no_key_is_401(client: TestClient) -> None:
    assert_message(client.post(CREATE_SERVER_SIDE, json=BODY), 401)


def test_an_unknown_key_is_401_in_either_header(client: TestClient) -> None:
    for headers in ({"X-API-Key": "lh_wrong"}, {"Authorization": "Bearer lh_wrong"}):
        assert_message(client.post(CREATE_SERVER_SIDE, json=BODY, headers=headers), 401)


def test_a_key_without_write_leads_is_403(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    reader = make_key(db, workspace, scopes=["read:leads"])
    response = client.post(CREATE_SERVER_SIDE, json=BODY, headers={"X-API-Key": reader})
    assert_message(response, 403, "write:leads")
    assert get_leads(client, headers)["total"] == 0


def test_a_body_without_data_is_400(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(CREATE_SERVER_SIDE, json={"formData": {"x": 1}}, headers=headers)
    assert_message(response, 400, "At least one of userData or attributionData")


def test_every_keyed_answer_carries_the_rate_limit_headers(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    writer = make_key(db, workspace, scopes=["write:leads"])
    reader = make_key(db, workspace, scopes=["read:leads"])
    created = client.post(CREATE_SERVER_SIDE, json=BODY, headers={"X-API-Key": writer})
    refused = client.post(CREATE_SERVER_SIDE, json={}, headers={"X-API-Key": writer})
    forbidden = client.post(CREATE_SERVER_SIDE, json=BODY, headers={"X-API-Key": reader})
    assert (created.status_code, refused.status_code, forbidden.status_code) == (201, 400, 403)
    for response in (created, refused, forbidden):
        for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            assert response.headers[name].isdigit(), (name, response.status_code)
    assert created.headers["X-RateLimit-Remaining"] == "999"
    assert refused.headers["X-RateLimit-Remaining"] == "998"


def test_a_key_past_its_hourly_limit_gets_429_with_its_headers(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    limited = make_key(db, workspace, rate_limit=1)
    headers = {"X-API-Key": limited}
    assert client.post(CREATE_SERVER_SIDE, json=BODY, headers=headers).status_code == 201
    response = client.post(CREATE_SERVER_SIDE, json=BODY, headers=headers)
    assert_message(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["X-RateLimit-Limit"] == "1"
    assert response.headers["X-RateLimit-Remaining"] == "0"
