"""/m/{slug} through HTTP with cookie jars: views, unique visitors, the gate, clicks, safety."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import BASE_URL
from tests.lead_magnets.helpers import analytics, create


def browser(app: FastAPI) -> TestClient:
    """A separate visitor: its own cookie jar, redirects not followed."""
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


def metrics(client: TestClient, headers: dict[str, str], magnet_id: int) -> dict[str, int]:
    found: dict[str, int] = analytics(client, headers, magnet_id)["metrics"]
    return found


def gated(client: TestClient, headers: dict[str, str], **page: object) -> dict[str, object]:
    return create(
        client,
        headers,
        delivery_mode="gated",
        keyword="CHECKLIST",
        resource_name="Example Checklist",
        description="Ten steps to a better funnel.",
        hosted_page={
            "title": "Example Checklist",
            "markdown_content": "## Step one\n\nSecret checklist content.",
            **page,
        },
    )


def test_a_published_page_renders_accessibly_and_counts_a_view(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers)
    visitor = browser(app)
    page = visitor.get("/m/example-guide")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<meta name="viewport"' in page.text
    assert "<h1>Example Guide</h1>" in page.text and "Public-safe guide content." in page.text
    assert 'href="/m/assets/magnet.css"' in page.text
    assert visitor.get("/m/assets/magnet.css").status_code == 200
    assert "<script" not in page.text
    assert "lh_visitor" in visitor.cookies
    assert page.headers["cache-control"] == "no-store"
    assert metrics(client, headers, magnet["id"])["page_views"] == 1


def test_the_page_carries_security_headers(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    create(client, headers)
    for path in ("/m/example-guide", "/m/unknown-page"):
        response = browser(app).get(path)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_unique_visitors_are_told_apart_by_their_cookie(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers)
    first, second = browser(app), browser(app)
    for _ in range(3):
        assert first.get("/m/example-guide").status_code == 200
    assert second.get("/m/example-guide").status_code == 200
    counted = metrics(client, headers, magnet["id"])
    assert (counted["page_views"], counted["unique_visitors"]) == (4, 2)


def test_repeat_visits_of_one_visitor_are_one_unique_visitor(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers)
    visitor = browser(app)
    visitor.get("/m/example-guide")
    cookie = visitor.cookies["lh_visitor"]
    visitor.get("/m/example-guide")
    assert visitor.cookies["lh_visitor"] == cookie
    counted = metrics(client, headers, magnet["id"])
    assert (counted["page_views"], counted["unique_visitors"]) == (2, 1)


def test_draft_and_unknown_pages_are_not_found(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(client, headers, hosted_page={"status": "draft"})
    visitor = browser(app)
    assert visitor.get("/m/example-guide").status_code == 404
    assert visitor.get("/m/nothing-here").status_code == 404
    assert visitor.get("/m/Not_A_Slug").status_code == 404
    assert visitor.post("/m/example-guide", data={"email": "a@example.com"}).status_code == 404
    assert visitor.get("/m/example-guide/cta").status_code == 404
    assert metrics(client, headers, magnet["id"])["page_views"] == 0


def test_a_gated_page_shows_an_accessible_form_not_the_content(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    page = browser(app).get("/m/example-checklist")
    assert page.status_code == 200
    assert "Secret checklist content." not in page.text
    assert "Ten steps to a better funnel." in page.text
    assert '<form method="post" action="/m/example-checklist"' in page.text
    assert '<label for="m-email">Email' in page.text and 'id="m-email"' in page.text
    assert 'type="email"' in page.text and 'autocomplete="email"' in page.text
    assert '<label for="m-name">Name' in page.text
    assert 'name="website_url"' in page.text  # the honeypot
    counted = metrics(client, headers, magnet["id"])
    assert (counted["page_views"], counted["content_access"], counted["unlocks"]) == (1, 0, 0)


def test_the_gate_opens_with_an_email_and_captures_the_lead(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    visitor = browser(app)
    visitor.get("/m/example-checklist")
    response = visitor.post(
        "/m/example-checklist?utm_source=linkedin",
        data={"email": "Ada@Example.com", "name": "Ada Lovelace", "website_url": ""},
    )
    assert response.status_code == 200, response.text
    assert "Secret checklist content." in response.text
    assert "<form" not in response.text
    (lead,) = client.get("/api/v1/leads", headers=headers).json()["data"]
    assert (lead["email"], lead["first_name"], lead["last_name"]) == (
        "ada@example.com",
        "Ada",
        "Lovelace",
    )
    assert lead["source"] == "lead_magnet"
    assert lead["custom_fields"]["submitted_via_magnet_id"] == magnet["uuid"]
    assert lead["attribution"]["utm_source"] == "linkedin"
    data = analytics(client, headers, magnet["id"])
    counted = data["metrics"]
    assert (counted["unlocks"], counted["captures"], counted["content_access"]) == (1, 1, 1)
    (capture,) = data["recent_captures"]
    assert (capture["source"], capture["lead_id"], capture["tracking_link_id"]) == (
        "hosted_page",
        lead["id"],
        None,
    )

    again = visitor.get("/m/example-checklist")
    assert "Secret checklist content." in again.text and "<form" not in again.text
    counted = metrics(client, headers, magnet["id"])
    assert (counted["page_views"], counted["unique_visitors"]) == (2, 1)
    assert (counted["unlocks"], counted["captures"], counted["content_access"]) == (1, 1, 2)
    # Another browser has not unlocked it.
    assert "Secret checklist content." not in browser(app).get("/m/example-checklist").text


def test_an_unlock_merges_into_a_known_lead(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    known = client.post(
        "/api/v1/leads",
        json={"first_name": "Ada", "email": "ada@example.com", "custom_fields": {"a": 1}},
        headers=headers,
    ).json()["data"]
    browser(app).post("/m/example-checklist", data={"email": "ADA@example.com"})
    (lead,) = client.get("/api/v1/leads", headers=headers).json()["data"]
    assert lead["id"] == known["id"]
    assert lead["custom_fields"] == {"a": 1, "submitted_via_magnet_id": magnet["uuid"]}


def test_a_forged_unlock_cookie_does_not_open_the_gate(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    visitor = browser(app)
    visitor.cookies.set("lh_unlock", f"{magnet['hosted_page']['id']}.forged")
    assert "Secret checklist content." not in visitor.get("/m/example-checklist").text


def test_a_bad_email_shows_the_form_again(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    visitor = browser(app)
    for email in ("", "not-an-email"):
        response = visitor.post("/m/example-checklist", data={"email": email, "name": "Ada"})
        assert response.status_code == 422
        assert 'aria-invalid="true"' in response.text and 'id="err-email"' in response.text
        assert 'value="Ada"' in response.text
        assert "Secret checklist content." not in response.text
    assert client.get("/api/v1/leads", headers=headers).json()["data"] == []
    assert metrics(client, headers, magnet["id"])["unlocks"] == 0


def test_the_honeypot_drops_bots_quietly(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers)
    response = browser(app).post(
        "/m/example-checklist", data={"email": "bot@example.com", "website_url": "spam"}
    )
    assert response.status_code == 200
    assert "Secret checklist content." not in response.text
    assert metrics(client, headers, magnet["id"])["captures"] == 0


def test_too_many_unlocks_from_one_address_are_refused(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    gated(client, headers)
    visitor = browser(app)
    statuses = [
        visitor.post("/m/example-checklist", data={"email": f"a{n}@example.com"}).status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]


def test_cta_and_download_count_the_click_and_redirect(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = create(
        client,
        headers,
        hosted_page={
            "cta_label": "Book a call",
            "cta_url": "https://example.com/call",
            "external_resource_url": "https://example.com/guide.pdf",
        },
    )
    visitor = browser(app)
    page = visitor.get("/m/example-guide").text
    assert 'href="/m/example-guide/cta">Book a call</a>' in page
    assert 'href="/m/example-guide/download"' in page
    cta = visitor.get("/m/example-guide/cta")
    assert (cta.status_code, cta.headers["location"]) == (302, "https://example.com/call")
    for _ in range(2):
        download = visitor.get("/m/example-guide/download")
        assert (download.status_code, download.headers["location"]) == (
            302,
            "https://example.com/guide.pdf",
        )
    counted = metrics(client, headers, magnet["id"])
    assert (counted["cta_clicks"], counted["download_clicks"]) == (1, 2)


def test_links_that_are_not_set_are_not_found(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    create(client, headers)
    visitor = browser(app)
    assert visitor.get("/m/example-guide/cta").status_code == 404
    assert visitor.get("/m/example-guide/download").status_code == 404


def test_a_gated_download_waits_behind_the_gate(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    magnet = gated(client, headers, external_resource_url="https://example.com/list.pdf")
    visitor = browser(app)
    locked = visitor.get("/m/example-checklist/download")
    assert (locked.status_code, locked.headers["location"]) == (302, "/m/example-checklist")
    visitor.post("/m/example-checklist", data={"email": "ada@example.com"})
    opened = visitor.get("/m/example-checklist/download")
    assert opened.headers["location"] == "https://example.com/list.pdf"
    assert metrics(client, headers, magnet["id"])["download_clicks"] == 1


XSS = "\n\n".join(
    [
        "# Title",
        "<script>alert('raw')</script>",
        "[click](javascript:alert('link'))",
        '<a href="javascript:alert(1)">html link</a>',
        "<img src=x onerror=alert('img')>",
        '![pic](https://example.com/a.png "t\\" onerror=\\"alert(1))',
        "<iframe src=https://evil.example></iframe>",
        '<div style="background:url(javascript:alert(1))">styled</div>',
        "[ok](https://example.com/safe)",
    ]
)


@pytest.mark.parametrize("mode", ["hosted_content", "gated"])
def test_markdown_is_sanitised(
    app: FastAPI, client: TestClient, headers: dict[str, str], mode: str
) -> None:
    create(client, headers, delivery_mode=mode, hosted_page={"markdown_content": XSS})
    visitor = browser(app)
    if mode == "gated":
        html = visitor.post("/m/example-guide", data={"email": "ada@example.com"}).text
    else:
        html = visitor.get("/m/example-guide").text
    assert "<script" not in html.lower()
    assert "<iframe" not in html.lower()
    assert "<div style" not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I), "an event handler survived"
    # Only real tags count: raw HTML shows as escaped text, which is harmless.
    assert not re.search(r"""<[^>]*(href|src)\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.com/safe" rel="noopener noreferrer nofollow">ok</a>' in html
    assert "<h1>Title</h1>" in html
