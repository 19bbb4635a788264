"""Validation, scopes, workspace isolation and the agency twin routes of the activity API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from tests.activity.helpers import ACTIVITY, SOCIAL_LEADS, event, record
from tests.factories import Workspace, make_key, make_workspace
from tests.lead_magnets.helpers import create


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "email"}, "source"),
        ({"source": None}, "source"),
        ({"linkedin_profile_url": "https://www.linkedin.com/company/acme"}, "linkedin_profile_url"),
        ({"linkedin_profile_url": "https://example.com/in/jane"}, "linkedin_profile_url"),
        ({"linkedin_profile_url": None}, "linkedin_profile_url"),
        ({"content": "x" * 10_001}, "content"),
        ({"content": None}, "content"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "9999-12-31T23:59:59-05:00"}, "occurred_at"),
        ({"author_name": "x" * 201}, "author_name"),
        ({"connected": "perhaps"}, "connected"),
    ],
)
def test_an_invalid_event_is_a_422_on_its_field(
    client: TestClient, headers: dict[str, str], db: Database, changes: dict[str, Any], field: str
) -> None:
    response = client.post(ACTIVITY, json=event(**changes), headers=headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert field in body["errors"], body
    assert client.get(SOCIAL_LEADS, headers=headers).json()["data"] == []


def test_content_of_exactly_ten_thousand_characters_is_accepted(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert (
        client.post(ACTIVITY, json=event(content="x" * 10_000), headers=headers).status_code == 201
    )


def test_an_unknown_status_is_a_422(client: TestClient, headers: dict[str, str]) -> None:
    activity = record(client, headers)["activity"]
    response = client.patch(
        f"{ACTIVITY}/{activity['id']}", json={"status": "done"}, headers=headers
    )
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("post", ACTIVITY, "write:activity"),
        ("get", ACTIVITY, "read:activity"),
        ("get", SOCIAL_LEADS, "read:leads"),
    ],
)
def test_each_route_needs_its_scope(
    client: TestClient, db: Database, workspace: Workspace, method: str, path: str, scope: str
) -> None:
    body = event() if method == "post" else None
    refused = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['read:webhooks'])}"}
    assert client.request(method, path, json=body, headers=refused).status_code == 403
    # LeadPanther's spelling is the same scope.
    action, _, resource = scope.partition(":")
    for spelling in (scope, f"{resource}:{action}"):
        allowed = {"Authorization": f"Bearer {make_key(db, workspace, scopes=[spelling])}"}
        response = client.request(method, path, json=body, headers=allowed)
        assert response.status_code in (200, 201), (spelling, response.text)


def test_reading_activity_does_not_allow_changing_it(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    activity = record(client, headers)["activity"]
    reader = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['read:activity'])}"}
    path = f"{ACTIVITY}/{activity['id']}"
    assert client.get(path, headers=reader).status_code == 200
    assert client.patch(path, json={"status": "ignored"}, headers=reader).status_code == 403


def test_another_workspaces_activity_is_not_found(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    activity = record(client, headers)["activity"]
    other = {"Authorization": f"Bearer {make_key(db, make_workspace(db, 'other'))}"}
    path = f"{ACTIVITY}/{activity['id']}"
    assert client.get(path, headers=other).status_code == 404
    refused = client.patch(path, json={"status": "ignored"}, headers=other)
    assert refused.status_code == 404 and refused.json()["code"] == "NOT_FOUND"
    assert client.get(ACTIVITY, headers=other).json()["data"] == []
    assert client.get(SOCIAL_LEADS, headers=other).json()["data"] == []
    assert client.get(f"{ACTIVITY}/not-an-id", headers=headers).status_code == 404


def test_another_workspaces_magnets_do_not_answer_keywords(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    create(client, headers)
    other = {"Authorization": f"Bearer {make_key(db, make_workspace(db, 'other'))}"}
    data = record(client, other)
    assert data["reply"] is None and data["activity"]["keyword"] is None
    # The same person in two workspaces is two leads.
    assert record(client, headers)["lead"]["id"] != data["lead"]["id"]


def test_an_agency_records_and_lists_a_clients_activity_through_its_grant(
    client: TestClient, db: Database
) -> None:
    agency = make_workspace(db, "agency", agency=True)
    customer = make_workspace(db, "client-a")
    with db.unit_of_work() as session:
        grants.create(
            session,
            agency_slug="agency",
            client_slug="client-a",
            permissions=["activity:read", "activity:write", "leads:read"],
        )
    customer_headers = {"Authorization": f"Bearer {make_key(db, customer)}"}
    create(client, customer_headers)
    headers = {"X-Api-Key": make_key(db, agency)}
    base = f"/api/v1/clients/{customer.public_id}"
    recorded = client.post(f"{base}/activity", json=event(), headers=headers)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["data"]["reply"].startswith("Here is the guide: http://testserver/m/")
    listed = client.get(f"{base}/activity", params={"keyword": "GUIDE"}, headers=headers)
    assert listed.status_code == 200
    assert len(listed.json()["data"]) == 1
    assert listed.json()["links"]["first"].startswith(f"http://testserver{base}/activity")
    leads = client.get(f"{base}/social-leads", headers=headers).json()["data"]
    assert [lead["name"] for lead in leads] == ["Example Person"]
    # The agency's own workspace has none of it; the client sees it directly.
    assert client.get("/api/v1/activity", headers=headers).json()["data"] == []
    assert len(client.get(ACTIVITY, headers=customer_headers).json()["data"]) == 1


def test_the_grant_bounds_what_the_agency_does(client: TestClient, db: Database) -> None:
    agency = make_workspace(db, "agency", agency=True)
    customer = make_workspace(db, "client-a")
    with db.unit_of_work() as session:
        grants.create(
            session, agency_slug="agency", client_slug="client-a", permissions=["activity:read"]
        )
    headers = {"X-Api-Key": make_key(db, agency)}
    base = f"/api/v1/clients/{customer.public_id}"
    assert client.get(f"{base}/activity", headers=headers).status_code == 200
    assert client.post(f"{base}/activity", json=event(), headers=headers).status_code == 403
    assert client.get(f"{base}/social-leads", headers=headers).status_code == 403
