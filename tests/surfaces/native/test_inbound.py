"""POST /api/inbound/leads?tenant=SLUG: leads from other tools, merged into the lead they
duplicate (by email, case-insensitive, or by phone in E.164)."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.models import Lead
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.native.assertions import assert_error, bearer

INBOUND = "/api/inbound/leads"
LEADS = "/api/v1/leads"


def intake(
    client: TestClient, headers: dict[str, str], body: Any, tenant: str = "acme"
) -> Response:
    return client.post(INBOUND, params={"tenant": tenant}, json=body, headers=headers)


def lead(client: TestClient, headers: dict[str, str], lead_id: int) -> dict[str, Any]:
    response = client.get(f"{LEADS}/{lead_id}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def lead_count(db: Database, workspace: Workspace | None = None) -> int:
    statement = select(func.count()).select_from(Lead)
    if workspace is not None:
        statement = statement.where(Lead.workspace_id == workspace.id)
    with db.unit_of_work(write=False) as session:
        return int(session.scalar(statement) or 0)


# -- a new lead ---------------------------------------------------------------------------------


def test_a_new_lead_is_created_with_201(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    response = intake(client, headers, {"email": "sarah@example.com", "first_name": "Sarah"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"status", "lead_id", "is_duplicate"}
    assert body["status"] == "created"
    assert body["is_duplicate"] is False
    assert isinstance(body["lead_id"], int)
    assert lead(client, headers, body["lead_id"])["first_name"] == "Sarah"
    assert lead_count(db) == 1


def test_the_seed_example_body_is_stored(client: TestClient, headers: dict[str, str]) -> None:
    body = {
        "email": "Sarah@Example.com",
        "first_name": "Sarah",
        "last_name": "Johnson",
        "phone": "+1 (415) 555-1234",
        "company": "Tech Corp",
        "source": "Zapier",
        "notes": "Came from newsletter signup",
        "tags": ["newsletter"],
        "custom_fields": {"utm_campaign": "spring-promo"},
    }
    response = intake(client, headers, body)
    assert response.status_code == 201, response.text
    stored = lead(client, headers, response.json()["lead_id"])
    assert stored["email"] == "sarah@example.com"
    assert stored["phone"] == "+14155551234"
    assert stored["last_name"] == "Johnson"
    assert stored["company"] == "Tech Corp"
    assert stored["source"] == "zapier"
    assert stored["notes"] == "Came from newsletter signup"
    assert stored["tags"] == ["newsletter"]
    assert stored["custom_fields"] == {"utm_campaign": "spring-promo"}


def test_a_lead_without_a_source_gets_a_default_source(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = intake(client, headers, {"email": "a@x.com"})
    assert lead(client, headers, response.json()["lead_id"])["source"] == "inbound"


def test_top_level_attribution_keys_are_stored_as_attribution(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = {
        "email": "a@x.com",
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "spring",
        "gclid": "gclid-123",
        "fbclid": "fb-456",
    }
    response = intake(client, headers, body)
    assert response.status_code == 201, response.text
    stored = lead(client, headers, response.json()["lead_id"])
    attribution = stored["attribution"]
    assert attribution["utm_source"] == "newsletter"
    assert attribution["utm_medium"] == "email"
    assert attribution["utm_campaign"] == "spring"
    assert attribution["gclid"] == "gclid-123"
    assert attribution["fbclid"] == "fb-456"
    assert attribution["wbraid"] is None
    assert stored["custom_fields"] == {}


def test_an_attribution_object_is_stored(client: TestClient, headers: dict[str, str]) -> None:
    body = {"email": "a@x.com", "attribution": {"gclid": "g-1", "landing_page": "https://x.com/"}}
    response = intake(client, headers, body)
    attribution = lead(client, headers, response.json()["lead_id"])["attribution"]
    assert attribution["gclid"] == "g-1"
    assert attribution["landing_page"] == "https://x.com/"


# -- validation ---------------------------------------------------------------------------------


def test_email_is_required(client: TestClient, headers: dict[str, str], db: Database) -> None:
    response = intake(client, headers, {"first_name": "Sarah", "phone": "+14155551234"})
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"email": ["The email field is required."]}
    assert lead_count(db) == 0


@pytest.mark.parametrize("email", [None, "", "   "])
def test_an_empty_email_is_refused(
    client: TestClient, headers: dict[str, str], db: Database, email: str | None
) -> None:
    response = intake(client, headers, {"email": email, "first_name": "Sarah"})
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert "email" in body["errors"]
    assert lead_count(db) == 0


def test_an_invalid_email_is_refused(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    response = intake(client, headers, {"email": "not-an-email"})
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"email": ["The email field must be a valid email address."]}
    assert lead_count(db) == 0


def test_a_missing_tenant_is_a_422_for_tenant(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    response = client.post(INBOUND, json={"email": "a@x.com"}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"tenant": ["The tenant field is required."]}
    assert lead_count(db) == 0


# -- who may post -------------------------------------------------------------------------------


def test_the_tenant_of_another_workspace_is_403(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    other = make_workspace(db, "globex")
    response = intake(client, headers, {"email": "a@x.com"}, tenant=other.slug)
    assert_error(response, 403, "FORBIDDEN")
    assert lead_count(db) == 0


def test_an_unknown_tenant_is_403(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    response = intake(client, headers, {"email": "a@x.com"}, tenant="nobody")
    assert_error(response, 403, "FORBIDDEN")
    assert lead_count(db) == 0


def test_a_key_of_the_other_workspace_cannot_post_into_this_one(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    other = make_workspace(db, "globex")
    their_key = make_key(db, other)
    response = intake(client, bearer(their_key), {"email": "a@x.com"}, tenant=workspace.slug)
    assert_error(response, 403, "FORBIDDEN")
    assert lead_count(db, workspace) == 0
    assert lead_count(db, other) == 0


def test_a_key_without_write_leads_is_403(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads", "delete:leads", "write:tags"])
    response = intake(client, bearer(key), {"email": "a@x.com"})
    body = assert_error(response, 403, "FORBIDDEN")
    assert "write:leads" in str(body["message"])
    assert lead_count(db) == 0


def test_a_key_with_only_write_leads_may_post(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["write:leads"])
    assert intake(client, bearer(key), {"email": "a@x.com"}).status_code == 201


def test_without_a_key_nothing_is_created(client: TestClient, db: Database) -> None:
    assert_error(intake(client, {}, {"email": "a@x.com"}), 401, "UNAUTHORIZED")
    assert lead_count(db) == 0


# -- duplicates ---------------------------------------------------------------------------------


def test_the_same_email_in_another_case_is_a_duplicate(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    first = intake(client, headers, {"email": "Sarah@Example.com"})
    second = intake(client, headers, {"email": "sarah@EXAMPLE.COM"})
    assert second.status_code == 200, second.text
    assert second.json() == {
        "status": "updated",
        "lead_id": first.json()["lead_id"],
        "is_duplicate": True,
    }
    assert lead_count(db) == 1


def test_a_lead_made_through_the_api_is_found_by_email(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    existing = make_lead(db, workspace, first_name="Sarah", email="sarah@example.com")
    response = intake(client, headers, {"email": "  SARAH@example.com "})
    assert response.status_code == 200
    assert response.json()["lead_id"] == existing


def test_the_same_phone_in_another_format_is_a_duplicate(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    first = intake(client, headers, {"email": "first@x.com", "phone": "+14155551234"})
    second = intake(client, headers, {"email": "second@x.com", "phone": "(415) 555-1234"})
    assert second.status_code == 200, second.text
    assert second.json() == {
        "status": "updated",
        "lead_id": first.json()["lead_id"],
        "is_duplicate": True,
    }
    assert lead_count(db) == 1
    assert lead(client, headers, first.json()["lead_id"])["email"] == "first@x.com"


def test_a_phone_match_fills_an_empty_email(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    existing = make_lead(db, workspace, first_name="Sarah", phone="415-555-1234")
    response = intake(client, headers, {"email": "Sarah@x.com", "phone": "+1 415 555 1234"})
    assert response.json()["lead_id"] == existing
    assert lead(client, headers, existing)["email"] == "sarah@x.com"


def test_an_email_match_wins_and_a_phone_of_another_lead_is_not_taken_over(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    by_email = make_lead(db, workspace, first_name="Email", email="a@x.com")
    by_phone = make_lead(db, workspace, first_name="Phone", phone="+14155551234")
    response = intake(client, headers, {"email": "A@x.com", "phone": "415 555 1234"})
    assert response.status_code == 200, response.text
    assert response.json()["lead_id"] == by_email
    assert lead(client, headers, by_email)["phone"] is None
    assert lead(client, headers, by_phone)["email"] is None
    assert lead_count(db) == 2


def test_the_same_email_in_another_workspace_is_not_a_duplicate(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, make_workspace(db, "globex"), email="sarah@example.com")
    response = intake(client, headers, {"email": "sarah@example.com"})
    assert response.status_code == 201
    assert response.json()["is_duplicate"] is False
    assert lead_count(db, workspace) == 1


def test_a_different_person_is_not_a_duplicate(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    first = intake(client, headers, {"email": "a@x.com", "phone": "+14155551234"})
    second = intake(client, headers, {"email": "b@x.com", "phone": "+14155550000"})
    assert second.status_code == 201
    assert second.json()["lead_id"] != first.json()["lead_id"]
    assert lead_count(db) == 2


def test_a_duplicate_fills_only_the_empty_fields(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = intake(
        client, headers, {"email": "a@x.com", "first_name": "Sarah", "source": "website"}
    )
    lead_id = first.json()["lead_id"]
    second = intake(
        client,
        headers,
        {
            "email": "A@x.com",
            "first_name": "Someone Else",
            "last_name": "Johnson",
            "company": "Tech Corp",
            "source": "zapier",
            "notes": "second touch",
        },
    )
    assert second.status_code == 200
    stored = lead(client, headers, lead_id)
    assert stored["first_name"] == "Sarah"
    assert stored["source"] == "website"
    assert stored["last_name"] == "Johnson"
    assert stored["company"] == "Tech Corp"
    assert stored["notes"] == "second touch"


def test_a_duplicate_with_empty_values_erases_nothing(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = intake(client, headers, {"email": "a@x.com", "first_name": "Sarah", "company": "TC"})
    lead_id = first.json()["lead_id"]
    intake(client, headers, {"email": "a@x.com", "first_name": None, "company": "  "})
    stored = lead(client, headers, lead_id)
    assert (stored["first_name"], stored["company"]) == ("Sarah", "TC")


def test_a_duplicate_keeps_the_phone_it_has(client: TestClient, headers: dict[str, str]) -> None:
    first = intake(client, headers, {"email": "a@x.com", "phone": "+14155551234"})
    intake(client, headers, {"email": "a@x.com", "phone": "+14155550000"})
    assert lead(client, headers, first.json()["lead_id"])["phone"] == "+14155551234"


def test_a_duplicate_merges_tags(client: TestClient, headers: dict[str, str]) -> None:
    first = intake(client, headers, {"email": "a@x.com", "tags": ["newsletter", "hot"]})
    intake(client, headers, {"email": "a@x.com", "tags": ["HOT", "webinar"]})
    intake(client, headers, {"email": "a@x.com"})
    tags = lead(client, headers, first.json()["lead_id"])["tags"]
    assert sorted(tag.lower() for tag in tags) == ["hot", "newsletter", "webinar"]


def test_a_duplicate_merges_custom_fields_and_existing_values_win(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = intake(
        client,
        headers,
        {"email": "a@x.com", "custom_fields": {"plan": "pro", "utm_campaign": "spring"}},
    )
    intake(
        client,
        headers,
        {"email": "a@x.com", "custom_fields": {"plan": "basic", "budget": "10000"}},
    )
    stored = lead(client, headers, first.json()["lead_id"])
    assert stored["custom_fields"] == {"plan": "pro", "utm_campaign": "spring", "budget": "10000"}


def test_a_duplicate_without_custom_fields_keeps_them(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = intake(client, headers, {"email": "a@x.com", "custom_fields": {"plan": "pro"}})
    intake(client, headers, {"email": "a@x.com", "first_name": "Sarah"})
    assert lead(client, headers, first.json()["lead_id"])["custom_fields"] == {"plan": "pro"}


def test_a_duplicate_keeps_first_touch_attribution_and_gains_new_keys(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = intake(client, headers, {"email": "a@x.com", "utm_source": "google"})
    intake(client, headers, {"email": "a@x.com", "utm_source": "facebook", "gclid": "gclid-second"})
    attribution = lead(client, headers, first.json()["lead_id"])["attribution"]
    assert attribution["utm_source"] == "google"
    assert attribution["gclid"] == "gclid-second"


def test_an_invalid_duplicate_changes_nothing(client: TestClient, headers: dict[str, str]) -> None:
    first = intake(client, headers, {"email": "a@x.com"})
    response = intake(client, headers, {"email": "a@x.com", "company": "TC", "status": "b@d!"})
    assert_error(response, 422, "VALIDATION_FAILED")
    assert lead(client, headers, first.json()["lead_id"])["company"] is None


# -- races --------------------------------------------------------------------------------------

RACERS = 10


@pytest.mark.slow
def test_identical_concurrent_intakes_make_one_lead(
    live_server: str, live_db: Database, live_workspace: Workspace, live_key: str
) -> None:
    body = {
        "email": "Race@Example.com",
        "phone": "+14155551234",
        "first_name": "Racer",
        "tags": ["race"],
        "custom_fields": {"attempt": "same"},
        "utm_source": "race",
    }
    barrier = threading.Barrier(RACERS)
    answers: list[Response] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def post() -> None:
        try:
            with httpx.Client(
                base_url=live_server, headers=bearer(live_key), timeout=30, trust_env=False
            ) as http:
                http.get("/api/v1/health")  # connect before the start line
                barrier.wait(timeout=10)
                response = http.post(INBOUND, params={"tenant": live_workspace.slug}, json=body)
            with lock:
                answers.append(response)
        except BaseException as exc:  # reported below, in the test's thread
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=post) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert len(answers) == RACERS
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] * (RACERS - 1) + [201], [answer.text for answer in answers]
    lead_ids = {answer.json()["lead_id"] for answer in answers}
    assert len(lead_ids) == 1
    assert sum(answer.json()["is_duplicate"] is False for answer in answers) == 1
    assert lead_count(live_db) == 1
    with httpx.Client(base_url=live_server, headers=bearer(live_key), trust_env=False) as http:
        stored = http.get(f"{LEADS}/{lead_ids.pop()}").json()["data"]
    assert stored["email"] == "race@example.com"
    assert stored["tags"] == ["race"]
    assert stored["custom_fields"] == {"attempt": "same"}
