"""POST /compat/leadtrackr/api/leads/createLead: a lead from a browser, without a key, for the
project (workspace) its projectId names; open CORS, a per-address limit, events sent again."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from leadhub.db.uow import Database
from leadhub.surfaces.leadtrackr import routes
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_workspace
from tests.surfaces.leadtrackr.helpers import (
    CREATE,
    GET_LEADS,
    assert_message,
    get_leads,
    native_lead,
)


def create(client: TestClient, body: dict[str, Any], **headers: str) -> Response:
    return client.post(CREATE, json=body, headers=headers)


def full_body(workspace: Workspace) -> dict[str, Any]:
    return {
        "projectId": workspace.public_id,
        "userData": {
            "firstName": "John",
            "lastName": "Doe",
            "email": "John@Example.com",
            "phone": "+31 6 12345678",
            "companyName": "Acme Inc.",
        },
        "attributionData": {
            "gclid": "gclid-1",
            "wbraid": "wb-1",
            "cid": "123.456",
            "sid": "sess-1",
            "fbp": "fb.1.1700000000000.111",
            "fbc": "fb.1.1700000000000.abc",
            "fbclid": "abc",
            "utm_source": "google",
            "utmMedium": "cpc",
            "utm_campaign": "spring",
        },
        "formData": {
            "formName": "Contact Form",
            "uniqueEventId": "evt-1",
            "message": "Call me",
            "budget": 5000,
        },
        "deviceData": {"ipAddress": "203.0.113.9", "userAgent": "Mozilla/5.0 Firefox"},
        "channelFlow": "google / cpc > direct",
        "uniqueIdentifier": "crm-lead-456",
    }


# -- a new lead ---------------------------------------------------------------------------------


def test_a_lead_is_created_without_a_key(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    response = create(client, full_body(workspace))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "message": "Lead created successfully",
        "leadId": body["leadId"],
        "uniqueIdentifier": "crm-lead-456",
    }
    assert isinstance(body["leadId"], int)


def test_everything_sent_is_stored_and_visible_in_the_native_api(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    lead_id = create(client, full_body(workspace)).json()["leadId"]
    stored = native_lead(client, headers, lead_id)
    assert (stored["first_name"], stored["last_name"]) == ("John", "Doe")
    assert (stored["email"], stored["phone"]) == ("john@example.com", "+31612345678")
    assert stored["company"] == "Acme Inc."
    assert (stored["status"], stored["source"]) == ("open", "leadtrackr")
    assert stored["form_name"] == "Contact Form"
    assert stored["form_data"] == {"message": "Call me", "budget": 5000}
    assert stored["device"] == {"ip_address": "203.0.113.9", "user_agent": "Mozilla/5.0 Firefox"}
    assert stored["channel_flow"] == "google / cpc > direct"
    assert stored["unique_identifier"] == "crm-lead-456"
    attribution = {key: value for key, value in stored["attribution"].items() if value}
    assert attribution == {
        "gclid": "gclid-1",
        "wbraid": "wb-1",
        "cid": "123.456",
        "sid": "sess-1",
        "fbp": "fb.1.1700000000000.111",
        "fbc": "fb.1.1700000000000.abc",
        "fbclid": "abc",
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "spring",
    }


def test_the_lead_is_listed_by_get_leads_as_sent(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    create(client, full_body(workspace))
    (lead,) = get_leads(client, headers)["leads"]
    assert lead["status"] == "open"
    assert lead["formName"] == "Contact Form"
    assert lead["formData"] == {"message": "Call me", "budget": 5000}
    assert lead["attributionData"]["gclid"] == "gclid-1"
    assert lead["userData"]["companyName"] == "Acme Inc."
    assert lead["channelFlow"] == "google / cpc > direct"


def test_the_other_spellings_are_stored(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    body = {
        "projectId": workspace.public_id,
        "userData": {"first_name": "Jo", "email": "jo@example.com", "company": "Initech"},
        "lt_channelflow": "facebook / paid",
        "unique_identifier": "crm-7",
        "formData": {"formName": "Quote"},
    }
    response = create(client, body)
    assert response.status_code == 201, response.text
    assert response.json()["uniqueIdentifier"] == "crm-7"
    stored = native_lead(client, headers, response.json()["leadId"])
    assert (stored["first_name"], stored["company"]) == ("Jo", "Initech")
    assert (stored["channel_flow"], stored["unique_identifier"]) == ("facebook / paid", "crm-7")
    assert (stored["form_name"], stored["form_data"]) == ("Quote", None)


def test_without_device_data_the_browsers_own_is_stored(
    app: FastAPI, workspace: Workspace, headers: dict[str, str]
) -> None:
    browser = TestClient(app, base_url=BASE_URL, client=("198.51.100.7", 40000))
    body = {"projectId": workspace.public_id, "userData": {"email": "a@example.com"}}
    response = browser.post(CREATE, json=body, headers={"User-Agent": "Safari/17"})
    assert response.status_code == 201, response.text
    stored = native_lead(browser, headers, response.json()["leadId"])
    assert stored["device"] == {"ip_address": "198.51.100.7", "user_agent": "Safari/17"}


def test_attribution_data_alone_makes_a_lead(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    body = {"projectId": workspace.public_id, "attributionData": {"gclid": "only-a-click"}}
    response = create(client, body)
    assert response.status_code == 201, response.text
    (lead,) = get_leads(client, headers)["leads"]
    assert lead["userData"] is None
    assert lead["attributionData"] == {"gclid": "only-a-click"}
    assert response.json()["uniqueIdentifier"] is None


# -- the same event, the same person ------------------------------------------------------------


def test_a_repeated_unique_event_id_updates_the_same_lead(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    first = create(client, full_body(workspace))
    again = full_body(workspace)
    again["userData"] = {"firstName": "Johnny", "email": "johnny@example.com"}
    again["attributionData"] = {"gclid": "gclid-2"}
    again["formData"] = {"formName": "Contact Form", "uniqueEventId": "evt-1", "message": "Now"}
    second = create(client, again)
    assert second.status_code == 200, second.text
    assert second.json() == {
        "message": "Lead updated successfully",
        "leadId": first.json()["leadId"],
        "uniqueIdentifier": "crm-lead-456",
    }
    stored = native_lead(client, headers, first.json()["leadId"])
    assert (stored["first_name"], stored["email"]) == ("Johnny", "johnny@example.com")
    assert stored["attribution"]["gclid"] == "gclid-2"
    assert stored["form_data"] == {"message": "Now"}
    assert get_leads(client, headers)["total"] == 1


def test_a_new_event_from_the_same_email_merges_into_that_lead(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    first = create(client, full_body(workspace))
    other_event = {
        "projectId": workspace.public_id,
        "userData": {"email": "JOHN@example.com", "lastName": "Ignored"},
        "formData": {"uniqueEventId": "evt-2"},
    }
    second = create(client, other_event)
    assert second.status_code == 200, second.text
    assert second.json()["message"] == "Lead updated successfully"
    assert second.json()["leadId"] == first.json()["leadId"]
    assert get_leads(client, headers)["total"] == 1


def test_different_events_and_people_make_different_leads(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    for number in range(2):
        body = {
            "projectId": workspace.public_id,
            "userData": {"email": f"p{number}@example.com"},
            "formData": {"uniqueEventId": f"evt-{number}"},
        }
        assert create(client, body).status_code == 201
    assert get_leads(client, headers)["total"] == 2


# -- refusals -----------------------------------------------------------------------------------


def test_a_missing_project_id_is_400(client: TestClient, db: Database) -> None:
    response = create(client, {"userData": {"email": "a@example.com"}})
    assert response.json() == {"message": "Missing required field: projectId"}
    assert_message(response, 400)
    assert_message(create(client, {"projectId": " ", "userData": {"email": "a@x.com"}}), 400)


def test_an_unknown_project_is_404(client: TestClient, db: Database) -> None:
    response = create(client, {"projectId": "ws_unknown", "userData": {"email": "a@x.com"}})
    assert_message(response, 404, "Project not found")


@pytest.mark.parametrize(
    "extra",
    [{}, {"userData": {}}, {"userData": {"firstName": ""}, "attributionData": {"gclid": " "}}],
)
def test_a_lead_without_user_or_attribution_data_is_400(
    client: TestClient, workspace: Workspace, extra: dict[str, Any]
) -> None:
    response = create(client, {"projectId": workspace.public_id, **extra})
    assert response.json() == {
        "message": "At least one of userData or attributionData must contain data"
    }
    assert response.status_code == 400


def test_an_invalid_email_is_400(client: TestClient, workspace: Workspace) -> None:
    body = {"projectId": workspace.public_id, "userData": {"email": "not-an-email"}}
    assert_message(create(client, body), 400, "email")


def test_a_unique_identifier_over_255_characters_is_400(
    client: TestClient, workspace: Workspace
) -> None:
    for name in ("uniqueIdentifier", "unique_identifier"):
        body = {"projectId": workspace.public_id, "userData": {"email": "a@x.com"}, name: "x" * 256}
        assert_message(create(client, body), 400, "255")


def test_a_wrongly_typed_field_is_400_naming_it(client: TestClient, workspace: Workspace) -> None:
    body = {"projectId": workspace.public_id, "userData": {"email": ["a@x.com"]}}
    assert_message(create(client, body), 400, "userData.email")
    assert_message(create(client, {"projectId": workspace.public_id, "formData": "x"}), 400)


def test_an_invalid_device_ip_is_400(client: TestClient, workspace: Workspace) -> None:
    body = {
        "projectId": workspace.public_id,
        "userData": {"email": "a@x.com"},
        "deviceData": {"ipAddress": "999.1.1.1"},
    }
    assert_message(create(client, body), 400, "IP address")


def test_a_body_that_is_not_json_is_400(client: TestClient) -> None:
    response = client.post(CREATE, content=b"{", headers={"Content-Type": "application/json"})
    assert_message(response, 400, "JSON")


def test_a_refused_lead_is_not_stored(
    client: TestClient, workspace: Workspace, headers: dict[str, str]
) -> None:
    create(client, {"projectId": workspace.public_id, "userData": {"email": "bad"}})
    assert get_leads(client, headers)["total"] == 0


# -- browsers -----------------------------------------------------------------------------------


def test_a_preflight_from_any_site_is_allowed(client: TestClient) -> None:
    response = client.options(
        CREATE,
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert response.headers["X-Request-Id"]


def test_every_create_lead_answer_allows_any_origin(
    client: TestClient, workspace: Workspace
) -> None:
    origin = {"Origin": "https://shop.example"}
    created = create(client, full_body(workspace), **origin)
    refused = create(
        client, {"projectId": "ws_unknown", "userData": {"email": "a@x.com"}}, **origin
    )
    for response in (created, refused):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_keyed_routes_keep_browsers_out(client: TestClient, key: str) -> None:
    response = client.get(GET_LEADS, headers={"X-API-Key": key, "Origin": "https://shop.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options(
        GET_LEADS,
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "GET"},
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


# -- the per-address limit ----------------------------------------------------------------------


def test_an_address_past_its_limit_for_a_project_gets_429(
    app: FastAPI, workspace: Workspace, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "CREATE_LIMIT", 2)
    browser = TestClient(app, base_url=BASE_URL, client=("203.0.113.20", 50000))
    other_browser = TestClient(app, base_url=BASE_URL, client=("203.0.113.21", 50000))
    other_project = make_workspace(db, "globex")

    def post(client: TestClient, project: Workspace, number: int) -> Response:
        body = {"projectId": project.public_id, "userData": {"email": f"p{number}@example.com"}}
        return client.post(CREATE, json=body)

    assert [post(browser, workspace, number).status_code for number in range(2)] == [201, 201]
    refused = post(browser, workspace, 3)
    assert_message(refused, 429, "Too many requests")
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert post(other_browser, workspace, 4).status_code == 201
    assert post(browser, other_project, 5).status_code == 201


def test_the_limit_counts_down_in_the_headers(client: TestClient, workspace: Workspace) -> None:
    response = create(client, full_body(workspace))
    assert response.headers["X-RateLimit-Limit"] == str(routes.CREATE_LIMIT)
    assert response.headers["X-RateLimit-Remaining"] == str(routes.CREATE_LIMIT - 1)
