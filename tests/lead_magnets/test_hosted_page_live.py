"""/m/{slug} over real HTTP against a running `leadhub serve`, each visitor a cookie jar: the
counters a browser's visits leave, read back through the native API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key

pytestmark = pytest.mark.slow  # through a real `leadhub serve`

SLUG = "example-checklist"
SECRET = "Secret checklist content."
MAGNET = {
    "delivery_mode": "gated",
    "keyword": "CHECKLIST",
    "resource_name": "Example Checklist",
    "description": "Ten steps to a better funnel.",
    "text_template": "Here is the checklist: {{resource_link}}",
    "not_connected_reply": "Connect with me and I will send it over.",
    "linked_posts": [],
    "confirm_missing_magnet_url": False,
    "confirm_legacy_placeholder": False,
    "hosted_page": {
        "title": "Example Checklist",
        "markdown_content": "## Step one\n\nSecret checklist content.",
        "external_resource_url": "https://example.com/checklist.pdf",
        "cta_label": "Book a call",
        "cta_url": "https://example.com/call",
        "status": "published",
    },
}


@pytest.fixture
def api(live_server: str, live_db: Database, live_workspace: Workspace) -> Iterator[httpx.Client]:
    key = make_key(live_db, live_workspace)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=live_server, headers=headers, trust_env=False) as client:
        yield client


@pytest.fixture
def magnet(api: httpx.Client) -> dict[str, Any]:
    created = api.post("/api/v1/lead-magnets", json=MAGNET)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()["data"]
    return body


def visitor(live_server: str) -> httpx.Client:
    """A browser of its own: a fresh cookie jar, redirects shown rather than followed."""
    return httpx.Client(base_url=live_server, follow_redirects=False, trust_env=False)


def analytics(api: httpx.Client, magnet_id: int) -> dict[str, Any]:
    answer = api.get(f"/api/v1/lead-magnets/{magnet_id}/analytics")
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def test_a_visitors_journey_is_counted_through_real_http(
    live_server: str, api: httpx.Client, magnet: dict[str, Any]
) -> None:
    with visitor(live_server) as first, visitor(live_server) as second:
        page = first.get(f"/m/{SLUG}")
        assert page.status_code == 200
        assert SECRET not in page.text and f'action="/m/{SLUG}"' in page.text
        cookie = page.headers["set-cookie"]
        assert cookie.startswith("lh_visitor=") and "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower() and "Secure" not in cookie  # plain http
        visitor_id = first.cookies["lh_visitor"]
        assert first.get(f"/m/{SLUG}").status_code == 200
        assert first.cookies["lh_visitor"] == visitor_id  # known: not issued again
        assert second.get(f"/m/{SLUG}").status_code == 200
        assert second.cookies["lh_visitor"] != visitor_id
        counted = analytics(api, magnet["id"])["metrics"]
        assert (counted["page_views"], counted["unique_visitors"]) == (3, 2)

        unlocked = first.post(
            f"/m/{SLUG}", data={"email": "Ada@Example.com", "name": "Ada Lovelace"}
        )
        assert unlocked.status_code == 200, unlocked.text
        assert SECRET in unlocked.text and "<form" not in unlocked.text
        assert "lh_unlock" in first.cookies
        # The unlock cookie travels with the next request: the gate stays open for this browser.
        assert SECRET in first.get(f"/m/{SLUG}").text
        assert SECRET not in second.get(f"/m/{SLUG}").text

        cta = first.get(f"/m/{SLUG}/cta")
        assert (cta.status_code, cta.headers["location"]) == (302, "https://example.com/call")
        download = first.get(f"/m/{SLUG}/download")
        assert (download.status_code, download.headers["location"]) == (
            302,
            "https://example.com/checklist.pdf",
        )
        # The second browser has not unlocked: its download goes back to the gate.
        locked = second.get(f"/m/{SLUG}/download")
        assert (locked.status_code, locked.headers["location"]) == (302, f"/m/{SLUG}")

    data = analytics(api, magnet["id"])
    counted = data["metrics"]
    assert (counted["page_views"], counted["unique_visitors"]) == (5, 2)
    assert (counted["captures"], counted["unlocks"], counted["content_access"]) == (1, 1, 2)
    assert (counted["cta_clicks"], counted["download_clicks"]) == (1, 1)
    (capture,) = data["recent_captures"]
    (lead,) = api.get("/api/v1/leads").json()["data"]
    assert (lead["email"], lead["first_name"], lead["last_name"]) == (
        "ada@example.com",
        "Ada",
        "Lovelace",
    )
    assert lead["custom_fields"]["submitted_via_magnet_id"] == magnet["uuid"]
    assert (capture["source"], capture["lead_id"]) == ("hosted_page", lead["id"])
