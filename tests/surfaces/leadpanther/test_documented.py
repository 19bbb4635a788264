"""Every request of the LeadPanther document, sent as its curl examples send it, answers the
documented example's keys and types, with `request_id` equal to the X-Request-Id header."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.models import User
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_user
from tests.surfaces.leadpanther.helpers import (
    ACTIVITY,
    ANALYTICS,
    BASE,
    CHECKLIST_BODY,
    CLIENTS,
    ENGAGEMENT,
    GUIDE_BODY,
    IMAGE_UPLOAD,
    LEADS,
    LINKEDIN_POST,
    MAGNET_SAVED,
    ME,
    PDF_UPLOAD,
    POST,
    PROFILE,
    UPLOAD_URL,
    assert_answer,
    browser,
    create_magnet,
    create_post,
    draft_post,
    headers,
    key_headers,
    make_grant,
    publish_with_metrics,
    record_activity,
    scheduled_post,
)

OWNER_IDS = frozenset({"data.owner.user_id", "data.subject.user_id"})
# A client's user_id is its workspace's public id; a grant's id is LeadHub's.
CLIENT_IDS = frozenset({"data[].user_id", "data[].grant.id"})


def nested(client_ws: Workspace) -> str:
    return f"{BASE}/clients/{client_ws.public_id}"


def seed_capture(app: FastAPI, client: TestClient, db: Database, ws: Workspace) -> dict[str, Any]:
    """A gated GUIDE magnet, a comment asking for it, and the commenter's email on its page."""
    lp = key_headers(db, ws)
    magnet_id = create_magnet(client, lp, delivery_mode="gated")
    recorded = record_activity(client, key_headers(db, ws))
    path = recorded["resource_link"].removeprefix(BASE_URL)
    visitor = browser(app)
    assert visitor.get(path).status_code == 200
    unlocked = visitor.post(path, data={"email": "person@example.com", "name": "Example Person"})
    assert unlocked.status_code == 200
    return {"magnet_id": magnet_id, "activity": recorded}


# -- identity and clients -------------------------------------------------------------------


def test_me_verifies_an_agency_key(client: TestClient, db: Database, agency: Workspace) -> None:
    hdrs = key_headers(db, agency, "clients:read", "lead_magnets:write", "posts:write")
    data = assert_answer(client.get(f"{BASE}/me", headers=hdrs), 200, ME, not_uuid=OWNER_IDS)
    assert data["actor_type"] == "agency"
    assert data["scopes"] == ["clients:read", "lead_magnets:write", "posts:write"]
    assert data["owner"]["user_id"] == data["subject"]["user_id"] == agency.public_id
    assert data["owner"]["business_name"] == data["owner"]["full_name"] == "agency"
    assert data["owner"]["account_status"] == "active"


def test_me_names_the_workspace_owner(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    make_user(db, workspace, "owner@example.com", role="owner")
    with db.unit_of_work() as session:
        session.execute(update(User).values(name="Example Owner"))
    data = client.get(f"{BASE}/me", headers=key_headers(db, workspace)).json()["data"]
    assert data["owner"]["full_name"] == "Example Owner"
    assert data["owner"]["business_name"] == "acme"


def test_me_answers_a_user_key_with_any_scope(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    hdrs = key_headers(db, workspace, "read:webhooks")
    data = assert_answer(client.get(f"{BASE}/me", headers=hdrs), 200, ME, not_uuid=OWNER_IDS)
    assert data["actor_type"] == "user"
    assert data["scopes"] == ["webhooks:read"]


def test_clients_lists_the_agencys_grants(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    make_grant(db, agency, client_ws, "posts:read", "posts:write", "lead_magnets:write", label="A")
    response = client.get(f"{BASE}/clients", headers=key_headers(db, agency, "clients:read"))
    [found] = assert_answer(response, 200, CLIENTS, not_uuid=CLIENT_IDS)
    assert found["user_id"] == client_ws.public_id
    assert found["grant"]["label"] == "A"
    assert found["grant"]["status"] == "active"
    assert sorted(found["grant"]["permissions"]) == [
        "lead_magnets:write",
        "posts:read",
        "posts:write",
    ]
    assert response.json()["pagination"] == {"limit": 50, "offset": 0, "has_more": False}


# -- lead magnets ---------------------------------------------------------------------------


def test_a_hosted_lead_magnet_is_created_directly(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    hdrs = key_headers(db, workspace, "lead_magnets:write")
    response = client.post(f"{BASE}/lead-magnets", json=GUIDE_BODY, headers=hdrs)
    data = assert_answer(response, 201, MAGNET_SAVED)
    assert data["lead_magnet"] == {
        **MAGNET_SAVED["data"]["lead_magnet"],
        "id": data["lead_magnet"]["id"],
    }
    assert data["result"] == {"status": "saved"}
    assert client.get("/m/example-guide").status_code == 200


def test_a_hosted_lead_magnet_is_created_for_a_client(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    make_grant(db, agency, client_ws, "lead_magnets:write")
    hdrs = key_headers(db, agency, "lead_magnets:write")
    response = client.post(f"{nested(client_ws)}/lead-magnets", json=CHECKLIST_BODY, headers=hdrs)
    data = assert_answer(response, 201, MAGNET_SAVED)
    assert data["lead_magnet"]["keyword"] == "CHECKLIST"
    assert data["lead_magnet"]["resource_name"] == "Example Checklist"
    # It is the client's magnet, not the agency's.
    analytics = f"{BASE}/lead-magnets/{data['lead_magnet']['id']}/analytics"
    assert client.get(analytics, headers=key_headers(db, client_ws)).status_code == 200
    assert client.get(analytics, headers=key_headers(db, agency)).status_code == 404


# -- media ----------------------------------------------------------------------------------


def test_a_media_upload_url_is_created_directly(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    hdrs = key_headers(db, workspace, "media:write")
    response = client.post(f"{BASE}/media/upload-url", json=IMAGE_UPLOAD, headers=hdrs)
    data = assert_answer(response, 201, UPLOAD_URL)
    assert data["content_type"] == "image/png"
    assert data["path"].endswith("/example-image.png")
    put = client.put(
        data["upload_url"],
        content=b"\x89PNG\r\n\x1a\n" + b"0" * 64,
        headers={"Content-Type": "image/png"},
    )
    assert put.status_code in (200, 201, 204), put.text
    assert client.get(data["public_url"]).status_code == 200


def test_a_media_upload_url_is_created_for_a_client(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    make_grant(db, agency, client_ws, "media:write")
    hdrs = key_headers(db, agency, "media:write")
    response = client.post(f"{nested(client_ws)}/media/upload-url", json=PDF_UPLOAD, headers=hdrs)
    data = assert_answer(response, 201, UPLOAD_URL)
    assert data["content_type"] == "application/pdf"
    assert data["path"].startswith(f"api-uploads/{client_ws.public_id}/")


# -- posts ----------------------------------------------------------------------------------


def test_a_draft_post_is_created_directly(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    magnet_id = create_magnet(client, key_headers(db, workspace))
    hdrs = key_headers(db, workspace, "posts:write")
    response = client.post(f"{BASE}/posts", json=draft_post(magnet_id), headers=hdrs)
    data = assert_answer(response, 201, POST, nullable=frozenset({"data.scheduled_at"}))
    assert data["status"] == "draft"
    assert data["scheduled_at"] is None
    assert data["template_id"] == magnet_id
    assert data["followups"] == draft_post(magnet_id)["followups"]


def test_a_post_is_scheduled_for_a_client(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    magnet_id = create_magnet(client, key_headers(db, client_ws))
    make_grant(db, agency, client_ws, "posts:write")
    hdrs = key_headers(db, agency, "posts:write")
    body = scheduled_post(magnet_id)
    response = client.post(f"{nested(client_ws)}/posts", json=body, headers=hdrs)
    data = assert_answer(response, 201, POST)
    assert data["status"] == "scheduled"
    assert data["scheduled_at"] == "2036-06-15T14:00:00.000Z"
    assert data["template_id"] == magnet_id
    assert data["metrics"] == {} or set(data["metrics"]) <= set(ENGAGEMENT["data"]["metrics"])
    assert data["theme"] is None
    assert data["followups"] == POST["data"]["followups"]


def test_engagement_is_read_directly_and_for_a_client(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    own = key_headers(db, client_ws)
    post_id = create_post(client, own, create_magnet(client, own))
    publish_with_metrics(db, post_id)
    direct = client.get(
        f"{BASE}/posts/{post_id}/engagement", headers=key_headers(db, client_ws, "analytics:read")
    )
    data = assert_answer(direct, 200, ENGAGEMENT)
    assert data == {**ENGAGEMENT["data"], "post_id": post_id}
    assert data["published_url"] == LINKEDIN_POST
    make_grant(db, agency, client_ws, "analytics:read")
    hdrs = key_headers(db, agency, "analytics:read")
    response = client.get(f"{nested(client_ws)}/posts/{post_id}/engagement", headers=hdrs)
    assert assert_answer(response, 200, ENGAGEMENT) == data


# -- magnet analytics, leads and activity ---------------------------------------------------


def test_magnet_analytics_are_read_directly(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    seeded = seed_capture(app, client, db, workspace)
    hdrs = key_headers(db, workspace, "analytics:read")
    path = f"{BASE}/lead-magnets/{seeded['magnet_id']}/analytics?limit=25&offset=0"
    data = assert_answer(client.get(path, headers=hdrs), 200, ANALYTICS)
    assert data["lead_magnet"]["id"] == seeded["magnet_id"]
    assert data["page"]["slug"] == "example-guide"
    assert data["metrics"]["captures"] == 1
    assert data["metrics"]["unlocks"] == 1
    [capture] = data["recent_captures"]
    assert capture["source"] == "comments"
    [lead] = client.get(f"{BASE}/leads", headers=key_headers(db, workspace)).json()["data"]
    assert capture["lead_id"] == lead["id"]
    assert data["pagination"] == {"limit": 25, "offset": 0, "has_more": False}


def test_magnet_analytics_are_read_for_a_client(
    app: FastAPI, client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    seeded = seed_capture(app, client, db, client_ws)
    make_grant(db, agency, client_ws, "analytics:read")
    hdrs = key_headers(db, agency, "analytics:read")
    path = f"{nested(client_ws)}/lead-magnets/{seeded['magnet_id']}/analytics?limit=25&offset=0"
    data = assert_answer(client.get(path, headers=hdrs), 200, ANALYTICS)
    assert data["lead_magnet"]["id"] == seeded["magnet_id"]
    assert len(data["recent_captures"]) == 1


def test_leads_are_listed_directly(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    seeded = seed_capture(app, client, db, workspace)
    hdrs = key_headers(db, workspace, "leads:read")
    path = f"{BASE}/leads?limit=50&offset=0&source=comments&has_email=true"
    [lead] = assert_answer(client.get(path, headers=hdrs), 200, LEADS)
    assert lead["linkedin_profile_url"] == PROFILE
    assert lead["emails"]["submitted"] == "person@example.com"
    assert lead["submitted_via_magnet_id"] == seeded["magnet_id"]
    assert lead["sources"] == {"comments": True, "dms": False, "intent": False}
    assert lead["keywords"] == ["GUIDE"]
    assert lead["latest_keyword"] == "GUIDE"


def test_leads_are_listed_for_a_client(
    app: FastAPI, client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    seed_capture(app, client, db, client_ws)
    make_grant(db, agency, client_ws, "leads:read")
    hdrs = key_headers(db, agency, "leads:read")
    path = f"{nested(client_ws)}/leads?limit=50&offset=0&keyword=GUIDE"
    response = client.get(path, headers=hdrs)
    [lead] = assert_answer(response, 200, LEADS)
    assert lead["name"] == "Example Person"
    assert response.json()["pagination"] == {"limit": 50, "offset": 0, "has_more": False}


def test_activity_is_listed_directly(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    seeded = seed_capture(app, client, db, workspace)
    hdrs = key_headers(db, workspace, "activity:read")
    path = f"{BASE}/activity?limit=50&offset=0&source=comments&status=new"
    [item] = assert_answer(client.get(path, headers=hdrs), 200, ACTIVITY)
    recorded = seeded["activity"]["activity"]
    assert item["id"] == recorded["id"]
    assert item["source"] == "comment"
    assert item["keyword"] == "GUIDE"
    assert item["occurred_at"] == "2026-06-15T15:45:00.000Z"
    assert item["metadata"]["is_lead_magnet_request"] is True
    assert item["metadata"]["matched_template_id"] == seeded["magnet_id"]
    assert item["metadata"]["comment_id"] == "REDACTED_PLATFORM_COMMENT_ID"


def test_activity_is_listed_for_a_client(
    app: FastAPI, client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    seed_capture(app, client, db, client_ws)
    make_grant(db, agency, client_ws, "activity:read")
    hdrs = key_headers(db, agency, "activity:read")
    path = f"{nested(client_ws)}/activity?limit=50&offset=0&search=GUIDE"
    [item] = assert_answer(client.get(path, headers=hdrs), 200, ACTIVITY)
    assert item["content"] == "GUIDE please!"


def test_the_request_id_is_generated_when_none_is_sent(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    hdrs = key_headers(db, workspace)
    del hdrs["X-Request-Id"]
    response = client.get(f"{BASE}/me", headers=hdrs)
    assert response.status_code == 200
    assert response.json()["request_id"] == response.headers["X-Request-Id"] != ""


def test_either_credential_header_is_accepted(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    bearer = key_headers(db, workspace)
    api_key = {"X-Api-Key": bearer["Authorization"].removeprefix("Bearer ")}
    assert client.get(f"{BASE}/me", headers=api_key).status_code == 200
    assert headers("x")["Authorization"] == "Bearer x"
