"""The hosted form at /f/{id}, over real HTTP like a browser: urlencoded posts and cookies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key

FIELDS = [
    {"name": "name", "label": "Full name", "type": "text", "required": True},
    {"name": "email", "type": "email", "required": True},
    {"name": "interest", "type": "select", "options": ["Demo", "Pricing"]},
    {"name": "terms", "label": "I accept the terms", "type": "checkbox", "required": True},
    {"name": "utm_campaign", "type": "hidden"},
]

pytestmark = pytest.mark.slow


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        yield client


@pytest.fixture
def api(http: httpx.Client, live_db: Database, live_workspace: Workspace) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(live_db, live_workspace)}"}


def make_form(http: httpx.Client, api: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {"name": "Book a demo", "fields": FIELDS, "tags": ["demo"], **changes}
    response = http.post("/api/v1/forms", json=body, headers=api)
    assert response.status_code == 201, response.text
    form: dict[str, Any] = response.json()["data"]
    return form


def leads(http: httpx.Client, api: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = http.get("/api/v1/leads", headers=api).json()["data"]
    return found


def test_the_page_is_an_accessible_form(http: httpx.Client, api: dict[str, str]) -> None:
    form = make_form(http, api, description="We answer within a day.")
    page = http.get(f"/f/{form['id']}?utm_source=google")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<meta name="viewport"' in html
    assert '<label for="f-name">Full name' in html
    assert 'id="f-email"' in html and 'type="email"' in html and "required" in html
    assert f'action="/f/{form["id"]}?utm_source=google"' in html
    assert 'name="website_url"' in html  # the honeypot
    assert "We answer within a day." in html


def test_a_browser_post_records_the_lead_with_attribution(
    http: httpx.Client, api: dict[str, str]
) -> None:
    form = make_form(http, api, success_message="Thanks, we will call you.")
    http.cookies.set("_fbp", "fb.1.1700000000.42")
    http.cookies.set("_ga", "GA1.1.111.222")
    response = http.post(
        f"/f/{form['id']}?utm_source=google&gclid=CLICK1",
        data={
            "name": "Ada Lovelace",
            "email": "Ada@Example.com",
            "interest": "Pricing",
            "terms": "on",
            "utm_campaign": "spring",
            "_lh_landing": "https://example.com/pricing",
        },
    )
    assert response.status_code == 200
    assert "Thanks, we will call you." in response.text
    (lead,) = leads(http, api)
    assert (lead["first_name"], lead["last_name"], lead["email"]) == (
        "Ada",
        "Lovelace",
        "ada@example.com",
    )
    assert lead["tags"] == ["demo"] and lead["form_id"] == form["id"]
    assert lead["custom_fields"] == {"interest": "Pricing", "terms": True}
    attribution = lead["attribution"]
    assert attribution["utm_source"] == "google" and attribution["utm_campaign"] == "spring"
    assert attribution["gclid"] == "CLICK1"
    assert attribution["fbp"] == "fb.1.1700000000.42" and attribution["cid"] == "111.222"
    assert attribution["landing_page"] == "https://example.com/pricing"
    submissions = http.get(f"/api/v1/forms/{form['id']}/submissions", headers=api).json()
    assert submissions["data"][0]["data"]["email"] == "Ada@Example.com"


def test_an_invalid_post_shows_the_form_again_with_messages_and_values(
    http: httpx.Client, api: dict[str, str]
) -> None:
    form = make_form(http, api)
    response = http.post(f"/f/{form['id']}", data={"name": "Ada", "email": "not-an-email"})
    assert response.status_code == 422
    assert "The Email field must be a valid email address." in response.text
    assert "The I accept the terms field must be accepted." in response.text
    assert 'value="Ada"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert leads(http, api) == []


def test_the_honeypot_drops_spam_quietly(http: httpx.Client, api: dict[str, str]) -> None:
    form = make_form(http, api)
    response = http.post(
        f"/f/{form['id']}",
        data={"name": "Bot", "email": "bot@example.com", "terms": "on", "website_url": "x"},
    )
    assert response.status_code == 200
    assert leads(http, api) == []


def test_a_redirect_url_sends_the_visitor_on(http: httpx.Client, api: dict[str, str]) -> None:
    form = make_form(http, api, redirect_url="https://example.com/thanks")
    response = http.post(
        f"/f/{form['id']}", data={"name": "Ada", "email": "ada@example.com", "terms": "on"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "https://example.com/thanks"


def test_too_many_posts_from_one_address_are_refused(
    http: httpx.Client, api: dict[str, str]
) -> None:
    form = make_form(http, api)
    statuses = [
        http.post(
            f"/f/{form['id']}", data={"name": "A", "email": f"a{n}@example.com", "terms": "on"}
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert len(leads(http, api)) == 10


def test_inactive_or_unknown_forms_are_not_found(http: httpx.Client, api: dict[str, str]) -> None:
    form = make_form(http, api, is_active=False)
    assert http.get(f"/f/{form['id']}").status_code == 404
    assert http.get("/f/999999").status_code == 404
    assert http.get("/f/not-a-number").status_code == 404


def test_the_embed_script_points_at_the_form(http: httpx.Client, api: dict[str, str]) -> None:
    form = make_form(http, api)
    script = http.get(f"/f/{form['id']}/embed.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert f"/f/{form['id']}" in script.text
    framed = http.get(f"/f/{form['id']}?embed=1", headers={"Referer": "https://shop.example/p"})
    assert 'value="https://shop.example/p"' in framed.text
    assert "frame.js" in framed.text
