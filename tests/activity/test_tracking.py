"""A reply's tracking link on the hosted page: clicks counted, captures with source and link id."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import TrackingLink
from tests.activity.helpers import SOCIAL_LEADS, listed, record
from tests.conftest import BASE_URL
from tests.lead_magnets.helpers import analytics, create


def browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


def gated(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    return create(client, headers, delivery_mode="gated")


def clicks(db: Database, token: str) -> int:
    with db.unit_of_work(write=False) as session:
        return session.query(TrackingLink).filter_by(uuid=token).one().clicks


def test_a_visit_then_an_unlock_records_the_capture_with_its_source_and_link(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    magnet = gated(client, headers)
    data = record(client, headers, source="dm", content="guide")
    path = data["resource_link"].removeprefix(BASE_URL)
    token = path.split("?t=")[1]
    visitor = browser(app)
    page = visitor.get(path)
    assert page.status_code == 200
    assert f'action="/m/example-guide?t={token}"' in page.text
    assert clicks(db, token) == 1
    unlocked = visitor.post(
        f"/m/example-guide?t={token}", data={"email": "Person@Example.com", "name": "Pat Doe"}
    )
    assert unlocked.status_code == 200
    assert "Public-safe guide content." in unlocked.text
    found = analytics(client, headers, magnet["id"])
    assert found["metrics"]["captures"] == 1
    [capture] = found["recent_captures"]
    assert capture["source"] == "dms"
    assert capture["tracking_link_id"] == token
    assert capture["lead_id"] == data["lead"]["id"]
    # The person the link was sent to is the lead that gave the email.
    [lead] = listed(client, headers, SOCIAL_LEADS)
    assert lead["emails"]["submitted"] == "person@example.com"
    assert lead["submitted_via_magnet_id"] == magnet["uuid"]
    assert lead["submitted_at"] is not None
    assert lead["submitted_name"] == "Example Person"


def test_an_unlock_without_a_link_keeps_the_hosted_page_source(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    record(client, headers)
    browser(app).post("/m/example-guide", data={"email": "other@example.com"})
    [capture] = analytics(client, headers, magnet["id"])["recent_captures"]
    assert capture["source"] == "hosted_page" and capture["tracking_link_id"] is None


def test_an_email_another_lead_has_stays_with_that_lead(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    gated(client, headers)
    known = client.post(
        "/api/v1/leads", json={"first_name": "Known", "email": "known@example.com"}, headers=headers
    ).json()["data"]["id"]
    token = record(client, headers)["resource_link"].split("?t=")[1]
    browser(app).post(f"/m/example-guide?t={token}", data={"email": "known@example.com"})
    [lead] = listed(client, headers, SOCIAL_LEADS)
    assert lead["emails"]["submitted"] is None
    assert lead["id"] != known


def test_an_ungated_page_visited_through_a_link_is_captured_once(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    magnet = create(client, headers)
    data = record(client, headers)
    path = data["resource_link"].removeprefix(BASE_URL)
    token = path.split("?t=")[1]
    visitor = browser(app)
    for _ in range(3):
        assert visitor.get(path).status_code == 200
    assert clicks(db, token) == 3
    found = analytics(client, headers, magnet["id"])
    assert found["metrics"]["page_views"] == 3
    [capture] = found["recent_captures"]
    assert capture == {
        **capture,
        "source": "comments",
        "tracking_link_id": token,
        "lead_id": data["lead"]["id"],
    }


def test_an_unknown_or_foreign_token_counts_nothing_and_captures_nothing(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database
) -> None:
    magnet = create(client, headers)
    create(
        client,
        headers,
        keyword="CHECKLIST",
        resource_name="Example Checklist",
        hosted_page={"title": "Example Checklist"},
    )
    other = record(client, headers, content="checklist")["resource_link"].split("?t=")[1]
    visitor = browser(app)
    assert visitor.get("/m/example-guide?t=00000000-0000-4000-8000-000000000000").status_code == 200
    assert visitor.get(f"/m/example-guide?t={other}").status_code == 200
    assert visitor.get("/m/example-guide?t=not-a-token").status_code == 200
    assert clicks(db, other) == 0
    found = analytics(client, headers, magnet["id"])
    assert found["metrics"]["page_views"] == 3 and found["recent_captures"] == []
