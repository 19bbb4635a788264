"""Native API: create, get, update (PUT and PATCH) and delete a lead."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, default_pipeline, make_user
from tests.surfaces.native.lead_helpers import (
    ATTRIBUTION_FIELDS,
    LEAD_FIELDS,
    LEADS,
    assert_error,
    assert_invalid,
    count_leads,
    create_lead,
    get_lead,
    make_form,
    set_timestamps,
)

UPDATE_METHODS = ["PUT", "PATCH"]


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _full_payload(pipeline_id: int, stage_id: int, user_id: int, form_id: int) -> dict[str, Any]:
    return {
        "first_name": "Sarah",
        "last_name": "Johnson",
        "email": "sarah@example.com",
        "phone": "+14155551234",
        "company": "Acme",
        "job_title": "CTO",
        "source": "website",
        "status": "contacted",
        "pipeline_id": pipeline_id,
        "pipeline_stage_id": stage_id,
        "assigned_user_id": user_id,
        "lead_score": 42,
        "starred": True,
        "notes": "Interested in the enterprise plan.",
        "custom_fields": {"budget": "10000", "seats": 25},
        "tags": ["hot-lead", "enterprise"],
        "value": 1234.5,
        "unique_identifier": "crm-17",
        "form_id": form_id,
        "attribution": {
            "gclid": "g-1",
            "wbraid": "w-1",
            "cid": "c-1",
            "sid": "s-1",
            "fbp": "fb.1.1",
            "fbc": "fb.1.2",
            "fbclid": "f-1",
            "utm_source": "google",
            "utm_medium": "cpc",
            "utm_campaign": "spring",
            "utm_term": "crm",
            "utm_content": "ad-1",
            "referrer": "https://www.google.com/",
            "landing_page": "https://example.com/pricing",
        },
    }


# -- create --------------------------------------------------------------------------------


def test_create_answers_201_with_the_lead_in_data(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"data"}
    assert body["data"]["first_name"] == "Sarah"
    assert isinstance(body["data"]["id"], int)


def test_create_answers_every_documented_field(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah")
    assert set(lead) >= LEAD_FIELDS
    assert set(lead["attribution"]) >= ATTRIBUTION_FIELDS


def test_create_stores_every_field_sent(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    user_id = make_user(db, workspace, "owner@acme.example", role="owner")
    form_id = make_form(db, workspace)
    payload = _full_payload(pipeline_id, stages[1], user_id, form_id)

    lead = create_lead(client, headers, **payload)

    for name, sent in payload.items():
        if name == "tags":
            assert sorted(lead["tags"]) == sorted(sent)
        else:
            assert lead[name] == sent, name


def test_create_fills_defaults_for_fields_not_sent(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, first_name="Sarah")
    assert lead["source"] == "api"
    assert lead["status"] == "new"
    assert lead["lead_score"] == 0
    assert lead["starred"] is False
    assert lead["custom_fields"] == {}
    assert lead["tags"] == []
    for name in ("last_name", "email", "phone", "pipeline_id", "pipeline_stage_id", "value"):
        assert lead[name] is None, name
    assert all(value is None for value in lead["attribution"].values())


def test_create_stores_source_and_status_lower_cased(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, source="Facebook", status="QUALIFIED")
    assert (lead["source"], lead["status"]) == ("facebook", "qualified")


def test_create_trims_names(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="  Sarah ", last_name=" Johnson  ")
    assert (lead["first_name"], lead["last_name"]) == ("Sarah", "Johnson")


def test_create_answers_utc_iso_timestamps(client: TestClient, headers: dict[str, str]) -> None:
    before = datetime.now(UTC)
    lead = create_lead(client, headers)
    after = datetime.now(UTC)
    for name in ("created_at", "updated_at"):
        stamp = _parse_time(lead[name])
        assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0
        assert before.replace(microsecond=0) <= stamp <= after


def test_create_persists_the_lead(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers, first_name="Sarah", custom_fields={"a": 1})
    assert count_leads(db, workspace) == 1
    assert get_lead(client, headers, lead["id"]) == lead


def test_create_ignores_unknown_fields(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah", id=999, workspace_id=12345)
    assert lead["id"] != 999
    assert "workspace_id" not in lead


# -- get -----------------------------------------------------------------------------------


def test_get_answers_the_lead_in_data(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah", email="s@example.com")
    response = client.get(f"{LEADS}/{lead['id']}", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"data": lead}


def test_get_unknown_lead_is_404_not_found(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(f"{LEADS}/424242", headers=headers)
    assert_error(response, 404, "NOT_FOUND")


def test_get_with_a_non_numeric_or_zero_id_is_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert_invalid(client.get(f"{LEADS}/abc", headers=headers), "lead_id")
    assert_invalid(client.get(f"{LEADS}/0", headers=headers), "lead_id")


# -- update --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_update_changes_only_the_fields_sent(
    client: TestClient, headers: dict[str, str], method: str
) -> None:
    lead = create_lead(
        client,
        headers,
        first_name="Sarah",
        last_name="Johnson",
        email="sarah@example.com",
        phone="+14155551234",
        company="Acme",
        lead_score=10,
        starred=True,
        notes="n",
        tags=["vip"],
        custom_fields={"a": "1"},
        attribution={"gclid": "g-1"},
    )
    response = client.request(
        method, f"{LEADS}/{lead['id']}", json={"company": "Globex"}, headers=headers
    )
    assert response.status_code == 200, response.text
    updated = response.json()["data"]
    assert updated["company"] == "Globex"
    unchanged = {
        name: value for name, value in lead.items() if name not in {"company", "updated_at"}
    }
    assert {name: updated[name] for name in unchanged} == unchanged
    assert get_lead(client, headers, lead["id"]) == updated


def test_update_with_an_empty_object_changes_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, first_name="Sarah", email="s@example.com", tags=["a"])
    for method in UPDATE_METHODS:
        response = client.request(method, f"{LEADS}/{lead['id']}", json={}, headers=headers)
        assert response.status_code == 200, response.text
        updated = response.json()["data"]
        assert {**updated, "updated_at": None} == {**lead, "updated_at": None}


def test_update_moves_updated_at_forward_and_keeps_created_at(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    lead = create_lead(client, headers)
    old = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    for method in UPDATE_METHODS:
        set_timestamps(db, lead["id"], created_at=old, updated_at=old)
        response = client.request(
            method, f"{LEADS}/{lead['id']}", json={"notes": method}, headers=headers
        )
        updated = response.json()["data"]
        assert _parse_time(updated["created_at"]) == old
        assert _parse_time(updated["updated_at"]) > datetime(2021, 1, 1, tzinfo=UTC)


def test_update_sets_a_field_to_null(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, email="s@example.com", company="Acme")
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"email": None, "company": None}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["email"] is None
    assert response.json()["data"]["company"] is None


def test_update_normalises_email_and_phone(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    response = client.patch(
        f"{LEADS}/{lead['id']}",
        json={"email": "New@Example.COM", "phone": "(415) 555-0000"},
        headers=headers,
    )
    assert response.json()["data"]["email"] == "new@example.com"
    assert response.json()["data"]["phone"] == "+14155550000"


def test_update_keeps_the_lead_s_own_email_and_phone(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, email="s@example.com", phone="+14155551234")
    response = client.put(
        f"{LEADS}/{lead['id']}",
        json={"email": "S@example.com", "phone": "415-555-1234"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["email"], data["phone"]) == ("s@example.com", "+14155551234")


def test_update_custom_fields_merges_into_the_existing_object(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, custom_fields={"budget": "10000", "seats": 5})
    response = client.patch(
        f"{LEADS}/{lead['id']}",
        json={"custom_fields": {"seats": 7, "plan": "pro"}},
        headers=headers,
    )
    assert response.json()["data"]["custom_fields"] == {
        "budget": "10000",
        "seats": 7,
        "plan": "pro",
    }


def test_update_custom_field_null_removes_the_key(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, custom_fields={"budget": "10000", "seats": 5})
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"custom_fields": {"budget": None}}, headers=headers
    )
    assert response.json()["data"]["custom_fields"] == {"seats": 5}
    assert get_lead(client, headers, lead["id"])["custom_fields"] == {"seats": 5}


def test_update_tags_replace_the_lead_s_tags(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, tags=["a", "b"])
    response = client.put(f"{LEADS}/{lead['id']}", json={"tags": ["b", "c"]}, headers=headers)
    assert sorted(response.json()["data"]["tags"]) == ["b", "c"]
    assert sorted(get_lead(client, headers, lead["id"])["tags"]) == ["b", "c"]


def test_update_with_empty_tags_removes_every_tag(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, tags=["a", "b"])
    response = client.patch(f"{LEADS}/{lead['id']}", json={"tags": []}, headers=headers)
    assert response.json()["data"]["tags"] == []


def test_update_attribution_changes_only_the_keys_sent(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, attribution={"gclid": "g-1", "utm_source": "google"})
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"attribution": {"utm_source": "bing"}}, headers=headers
    )
    attribution = response.json()["data"]["attribution"]
    assert attribution["gclid"] == "g-1"
    assert attribution["utm_source"] == "bing"


def test_update_first_name_blank_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah")
    response = client.patch(f"{LEADS}/{lead['id']}", json={"first_name": "  "}, headers=headers)
    assert_invalid(response, "first_name", "The first name field is required.")
    assert get_lead(client, headers, lead["id"])["first_name"] == "Sarah"


def test_update_first_name_null_is_422(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers, first_name="Sarah")
    response = client.put(f"{LEADS}/{lead['id']}", json={"first_name": None}, headers=headers)
    assert_invalid(response, "first_name", "The first name field is required.")
    assert get_lead(client, headers, lead["id"])["first_name"] == "Sarah"


def test_update_that_fails_validation_changes_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, first_name="Sarah", company="Acme")
    response = client.patch(
        f"{LEADS}/{lead['id']}", json={"company": "Globex", "email": "nope"}, headers=headers
    )
    assert_invalid(response, "email")
    assert get_lead(client, headers, lead["id"]) == lead


def test_update_unknown_lead_is_404(client: TestClient, headers: dict[str, str]) -> None:
    for method in UPDATE_METHODS:
        response = client.request(method, f"{LEADS}/424242", json={"notes": "x"}, headers=headers)
        assert_error(response, 404, "NOT_FOUND")


# -- delete --------------------------------------------------------------------------------


def test_delete_answers_204_with_no_body(client: TestClient, headers: dict[str, str]) -> None:
    lead = create_lead(client, headers)
    response = client.delete(f"{LEADS}/{lead['id']}", headers=headers)
    assert response.status_code == 204
    assert response.content == b""


def test_deleted_lead_is_404_afterwards(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead = create_lead(client, headers, tags=["vip"])
    client.delete(f"{LEADS}/{lead['id']}", headers=headers)
    assert_error(client.get(f"{LEADS}/{lead['id']}", headers=headers), 404, "NOT_FOUND")
    assert_error(client.delete(f"{LEADS}/{lead['id']}", headers=headers), 404, "NOT_FOUND")
    assert count_leads(db, workspace) == 0


def test_delete_leaves_other_leads_alone(client: TestClient, headers: dict[str, str]) -> None:
    kept = create_lead(client, headers, first_name="Kept")
    gone = create_lead(client, headers, first_name="Gone")
    client.delete(f"{LEADS}/{gone['id']}", headers=headers)
    assert get_lead(client, headers, kept["id"]) == kept


def test_deleted_lead_s_email_can_be_used_again(
    client: TestClient, headers: dict[str, str]
) -> None:
    lead = create_lead(client, headers, email="s@example.com", phone="+14155551234")
    client.delete(f"{LEADS}/{lead['id']}", headers=headers)
    create_lead(client, headers, email="s@example.com", phone="+14155551234")
