"""GET /compat/leadtrackr/api/leads/getLead: one lead by leadId, else uniqueIdentifier, else
email, else phone; the newest when several match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.leadtrackr.helpers import GET_LEAD, LEAD_KEYS, assert_message, set_created


def get_lead(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get(GET_LEAD, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"message", "lead"}
    assert body["message"] == "Lead retrieved"
    assert set(body["lead"]) == LEAD_KEYS
    lead: dict[str, Any] = body["lead"]
    return lead


@pytest.fixture
def four(db: Database, workspace: Workspace) -> dict[str, int]:
    """Four leads, each found by a different identifier."""
    return {
        "by_id": make_lead(db, workspace, first_name="ById"),
        "by_uid": make_lead(db, workspace, first_name="ByUid", unique_identifier="crm-1"),
        "by_email": make_lead(db, workspace, first_name="ByEmail", email="ann@example.com"),
        "by_phone": make_lead(db, workspace, first_name="ByPhone", phone="+31612345678"),
    }


def test_a_lead_by_its_id(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    lead = get_lead(client, headers, leadId=four["by_id"])
    assert (lead["id"], lead["firstName"]) == (four["by_id"], "ById")


def test_a_lead_by_unique_identifier(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    assert get_lead(client, headers, uniqueIdentifier="crm-1")["id"] == four["by_uid"]


def test_a_lead_by_email_in_any_case(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    assert get_lead(client, headers, email="Ann@Example.COM")["id"] == four["by_email"]


def test_a_lead_by_phone_in_any_notation(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    assert get_lead(client, headers, phone="+31612345678")["id"] == four["by_phone"]
    assert get_lead(client, headers, phone="+31 6 1234 5678")["id"] == four["by_phone"]
    unencoded = client.get(f"{GET_LEAD}?phone=+31612345678", headers=headers)
    assert unencoded.json()["lead"]["id"] == four["by_phone"]


def test_lead_id_beats_the_other_identifiers(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    lead = get_lead(
        client,
        headers,
        leadId=four["by_id"],
        uniqueIdentifier="crm-1",
        email="ann@example.com",
        phone="+31612345678",
    )
    assert lead["id"] == four["by_id"]


def test_unique_identifier_beats_email_and_phone(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    lead = get_lead(
        client, headers, uniqueIdentifier="crm-1", email="ann@example.com", phone="+31612345678"
    )
    assert lead["id"] == four["by_uid"]


def test_email_beats_phone(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    lead = get_lead(client, headers, email="ann@example.com", phone="+31612345678")
    assert lead["id"] == four["by_email"]


def test_the_first_identifier_given_decides_even_when_it_finds_nothing(
    client: TestClient, headers: dict[str, str], four: dict[str, int]
) -> None:
    response = client.get(
        GET_LEAD, params={"uniqueIdentifier": "nobody", "email": "ann@example.com"}, headers=headers
    )
    assert_message(response, 404, "Lead not found")


def test_the_newest_lead_with_a_unique_identifier_is_found(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    now = datetime(2026, 3, 15, tzinfo=UTC)
    newest = make_lead(db, workspace, first_name="New", unique_identifier="crm-9")
    older = make_lead(db, workspace, first_name="Old", unique_identifier="crm-9")
    set_created(db, newest, now)
    set_created(db, older, now - timedelta(days=1))
    assert get_lead(client, headers, uniqueIdentifier="crm-9")["id"] == newest


def test_without_an_identifier_it_is_400(client: TestClient, headers: dict[str, str]) -> None:
    assert_message(client.get(GET_LEAD, headers=headers), 400, "leadId")
    blank = client.get(GET_LEAD, params={"uniqueIdentifier": " ", "email": ""}, headers=headers)
    assert_message(blank, 400, "leadId")


@pytest.mark.parametrize("lead_id", ["abc", "0", "-1", "99999999999"])
def test_a_lead_id_that_is_no_id_is_400(
    client: TestClient, headers: dict[str, str], lead_id: str
) -> None:
    assert_message(client.get(GET_LEAD, params={"leadId": lead_id}, headers=headers), 400, "leadId")


def test_an_unknown_lead_is_404(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(GET_LEAD, params={"leadId": 999}, headers=headers)
    assert response.json() == {"message": "Lead not found"}
    assert_message(response, 404)
    assert_message(client.get(GET_LEAD, params={"email": "x@y.com"}, headers=headers), 404)


def test_another_projects_lead_is_404(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    theirs = make_lead(db, make_workspace(db, "globex"), email="theirs@example.com")
    assert_message(client.get(GET_LEAD, params={"leadId": theirs}, headers=headers), 404)
    response = client.get(GET_LEAD, params={"email": "theirs@example.com"}, headers=headers)
    assert_message(response, 404)


def test_get_lead_needs_a_key_with_read_leads(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace)
    assert_message(client.get(GET_LEAD, params={"leadId": lead_id}), 401)
    writer = make_key(db, workspace, scopes=["write:leads"])
    response = client.get(GET_LEAD, params={"leadId": lead_id}, headers={"X-API-Key": writer})
    assert_message(response, 403)
