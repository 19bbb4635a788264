"""GET /api/v1/lead-magnets/{id}/analytics: the seed's shape, the numbers as produced."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import MagnetCapture
from tests.conftest import BASE_URL
from tests.factories import Workspace
from tests.lead_magnets.helpers import analytics, create


def browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


def test_a_new_magnet_answers_the_documented_shape_with_zeros(
    client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers)
    data = analytics(client, headers, magnet["id"])
    assert set(data) == {"lead_magnet", "page", "metrics", "recent_captures", "pagination"}
    assert data["lead_magnet"] == {
        "id": magnet["id"],
        "uuid": magnet["uuid"],
        "keyword": "GUIDE",
        "resource_name": "Example Guide",
    }
    page = magnet["hosted_page"]
    assert data["page"] == {
        "id": page["id"],
        "title": "Example Guide",
        "slug": "example-guide",
        "status": "published",
        "published_at": page["published_at"],
        "created_at": page["created_at"],
        "updated_at": None,
    }
    assert data["metrics"] == {
        "page_views": 0,
        "unique_visitors": 0,
        "unique_visitors_limited": False,
        "unlocks": 0,
        "conversion_rate": 0,
        "content_access": 0,
        "cta_clicks": 0,
        "download_clicks": 0,
        "captures": 0,
    }
    assert data["recent_captures"] == []
    assert data["pagination"] == {"limit": 50, "offset": 0, "has_more": False}


def test_the_numbers_are_exactly_what_visitors_did(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(
        client,
        headers,
        delivery_mode="gated",
        hosted_page={
            "cta_label": "Book",
            "cta_url": "https://example.com/call",
            "external_resource_url": "https://example.com/guide.pdf",
        },
    )
    visitors = [browser(app) for _ in range(4)]
    for visitor in visitors:
        visitor.get("/m/example-guide")
    visitors[0].get("/m/example-guide")  # a repeat view
    visitors[0].post("/m/example-guide", data={"email": "a@example.com"})
    visitors[1].post("/m/example-guide", data={"email": "b@example.com", "name": "Bea"})
    visitors[0].get("/m/example-guide")  # unlocked: a content access
    visitors[0].get("/m/example-guide/download")
    visitors[2].get("/m/example-guide/download")  # locked: not counted
    visitors[2].get("/m/example-guide/cta")
    visitors[3].get("/m/example-guide/cta")
    metrics = analytics(client, headers, magnet["id"])["metrics"]
    assert metrics == {
        "page_views": 6,
        "unique_visitors": 4,
        "unique_visitors_limited": False,
        "unlocks": 2,
        "conversion_rate": 0.5,
        "content_access": 3,
        "cta_clicks": 2,
        "download_clicks": 1,
        "captures": 2,
    }


def test_the_conversion_rate_is_rounded(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers, delivery_mode="gated")
    visitors = [browser(app) for _ in range(3)]
    for visitor in visitors:
        visitor.get("/m/example-guide")
    visitors[0].post("/m/example-guide", data={"email": "a@example.com"})
    assert analytics(client, headers, magnet["id"])["metrics"]["conversion_rate"] == 0.3333


def test_recent_captures_are_newest_first_and_paginated(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers, delivery_mode="gated")
    visitor = browser(app)
    for name in ("first", "second", "third"):
        visitor.post("/m/example-guide", data={"email": f"{name}@example.com"})
    leads = client.get("/api/v1/leads", headers=headers).json()["data"]
    by_email = {lead["email"]: lead["id"] for lead in leads}
    newest_first = [by_email[f"{name}@example.com"] for name in ("third", "second", "first")]

    page_one = analytics(client, headers, magnet["id"], limit=2, offset=0)
    assert [capture["lead_id"] for capture in page_one["recent_captures"]] == newest_first[:2]
    assert page_one["pagination"] == {"limit": 2, "offset": 0, "has_more": True}
    page_two = analytics(client, headers, magnet["id"], limit=2, offset=2)
    assert [capture["lead_id"] for capture in page_two["recent_captures"]] == newest_first[2:]
    assert page_two["pagination"] == {"limit": 2, "offset": 2, "has_more": False}
    assert page_one["metrics"]["captures"] == 3
    capture = page_one["recent_captures"][0]
    assert set(capture) == {"id", "source", "lead_id", "tracking_link_id", "created_at"}


def test_the_limit_is_clamped_and_checked(client: TestClient, headers: dict[str, str]) -> None:
    magnet = create(client, headers)
    assert analytics(client, headers, magnet["id"], limit=500)["pagination"]["limit"] == 100
    path = f"/api/v1/lead-magnets/{magnet['id']}/analytics"
    for params in ({"limit": 0}, {"offset": -1}, {"limit": "x"}):
        response = client.get(path, params=params, headers=headers)
        assert response.status_code == 422, params


def test_captures_from_other_channels_count_too(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    magnet = create(
        client,
        headers,
        delivery_mode="external_link",
        hosted_page=None,
        external_resource_url="https://example.com/x.pdf",
    )
    with db.unit_of_work() as session:
        session.add(
            MagnetCapture(
                workspace_id=workspace.id,
                uuid="00000000-0000-4000-8000-000000000007",
                magnet_id=magnet["id"],
                source="comments",
                tracking_link_id="00000000-0000-4000-8000-000000000009",
            )
        )
    data = analytics(client, headers, magnet["id"])
    assert data["page"] is None
    assert data["metrics"]["captures"] == 1 and data["metrics"]["page_views"] == 0
    (capture,) = data["recent_captures"]
    assert capture["id"] == "00000000-0000-4000-8000-000000000007"
    assert capture["source"] == "comments" and capture["lead_id"] is None
    assert capture["tracking_link_id"] == "00000000-0000-4000-8000-000000000009"
