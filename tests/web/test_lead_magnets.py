"""Lead magnets in the web app: the list, the editor and its preview, delete, and analytics."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from leadhub.domains.lead_magnets import hosted
from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.lead_magnets.schemas import MagnetCreate, MagnetRead, Unlock, Visit
from leadhub.kit.markdown import to_safe_html
from leadhub.surfaces.web import acting, charts
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_workspace
from tests.lead_magnets.helpers import guide
from tests.web.conftest import WebSession, make_member, sign_in
from tests.web.tables import rows, section


def make_magnet(db: Database, workspace: Workspace, **changes: Any) -> MagnetRead:
    """A magnet made through the service, from the API's example body with changes."""
    with db.unit_of_work() as session:
        data = MagnetCreate.model_validate(guide(**changes))
        return magnets.create_magnet(session, workspace.principal(), data=data)


def read_magnet(db: Database, workspace: Workspace, magnet_id: int) -> MagnetRead:
    with db.unit_of_work(write=False) as session:
        return magnets.get_magnet(session, workspace.principal(), magnet_id)


def unlock(db: Database, slug: str, email: str) -> None:
    with db.unit_of_work() as session:
        hosted.unlock(session, slug, visit=Visit(visitor_id=f"v-{email}"), data=Unlock(email=email))


def editor_post(**changes: str) -> dict[str, str]:
    """What the editor posts for a published hosted-content magnet, with changes."""
    data = {
        "delivery_mode": "hosted_content",
        "keyword": "CHECKLIST",
        "resource_name": "Launch checklist",
        "description": "Everything before launch day.",
        "text_template": "Here it is: {{resource_link}}",
        "not_connected_reply": "Connect first, then ask again.",
        "linked_posts": "post-1\npost-2",
        "external_resource_url": "",
        "has_page": "1",
        "page_title": "The launch checklist",
        "page_markdown_content": "# Checklist\n\n- one\n- two",
        "page_external_resource_url": "https://files.example.com/checklist.pdf",
        "page_cta_label": "Book a call",
        "page_cta_url": "https://example.com/call",
        "page_status": "published",
        "action": "save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def error_of(page: str, name: str) -> str:
    assert f'aria-describedby="e-{name}"' in page or f"e-{name}" in page, name
    return page.split(f'id="e-{name}">')[1].split("</p>", maxsplit=1)[0]


def visitor(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


# -- the list ---------------------------------------------------------------------------------


def test_the_list_starts_empty_with_a_way_to_create_one(owner: WebSession) -> None:
    page = owner.get("/lead-magnets").text
    assert "No lead magnets yet" in page and 'href="/lead-magnets/new"' in page
    assert '<a href="/lead-magnets" aria-current="page"' in page  # the sidebar's item


def test_the_list_shows_keyword_resource_mode_page_and_captures(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    published = make_magnet(db, workspace, delivery_mode="gated")
    make_magnet(
        db,
        workspace,
        keyword="TOOLS",
        resource_name="Tool list",
        delivery_mode="external_link",
        external_resource_url="https://example.com/tools",
        hosted_page={"title": "Tools", "status": "draft"},
    )
    make_magnet(db, make_workspace(db, "globex"), keyword="THEIRS", hosted_page={"title": "T"})
    assert published.hosted_page is not None
    unlock(db, published.hosted_page.slug, "ann@example.com")
    unlock(db, published.hosted_page.slug, "bob@example.com")
    page = owner.get("/lead-magnets").text
    assert "THEIRS" not in page
    table = rows(page)
    assert table[0] == ["Keyword", "Resource", "Delivery", "Page", "Captures", "Actions"]
    guide_row, tools_row = table[1], table[2]
    assert guide_row[:2] == ["GUIDE", "Example Guide A public-safe guide description."]
    assert guide_row[2].startswith("Gated page")
    assert guide_row[3] == "Published /m/example-guide (opens in a new tab)"
    assert guide_row[4] == "2 captures of GUIDE"
    assert tools_row[2].startswith("External link") and tools_row[3] == "Draft"
    assert tools_row[4] == "0 captures of TOOLS"
    assert 'href="http://testserver/m/example-guide"' in page
    assert f'href="/lead-magnets/{published.id}/analytics"' in page


# -- the editor -------------------------------------------------------------------------------


def test_a_magnet_is_created_with_every_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    page = owner.get("/lead-magnets/new").text
    assert 'action="/lead-magnets/new"' in page and "{{resource_link}}" in page
    assert 'data-preview-url="/lead-magnets/preview"' in page and "<script>" not in page
    response = owner.post(
        "/lead-magnets/new",
        editor_post(confirm_legacy_placeholder="1", text_template="Get it: {{resource_link}}"),
    )
    assert response.status_code == 303, response.text
    magnet_id = int(response.headers["location"].split("/")[2])
    magnet = read_magnet(db, workspace, magnet_id)
    assert (magnet.keyword, magnet.resource_name) == ("CHECKLIST", "Launch checklist")
    assert magnet.description == "Everything before launch day."
    assert magnet.text_template == "Get it: {{resource_link}}"
    assert magnet.not_connected_reply == "Connect first, then ask again."
    assert magnet.linked_posts == ["post-1", "post-2"]
    assert magnet.confirm_legacy_placeholder and not magnet.confirm_missing_magnet_url
    page_ = magnet.hosted_page
    assert page_ is not None
    assert (page_.title, page_.slug, page_.status) == (
        "The launch checklist",
        "the-launch-checklist",
        "published",
    )
    assert page_.markdown_content == "# Checklist\n\n- one\n- two"
    assert page_.external_resource_url == "https://files.example.com/checklist.pdf"
    assert (page_.cta_label, page_.cta_url) == ("Book a call", "https://example.com/call")
    edit = owner.get(response.headers["location"]).text
    assert "Lead magnet “CHECKLIST” created." in edit
    assert 'href="http://testserver/m/the-launch-checklist"' in edit


def test_errors_are_shown_beside_their_fields_and_nothing_is_saved(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_magnet(db, workspace)  # takes GUIDE
    typed = owner.post(
        "/lead-magnets/new",
        editor_post(keyword="", resource_name="", page_cta_url="ftp://example.com"),
    )
    assert typed.status_code == 422
    assert error_of(typed.text, "keyword") == "The keyword field is required."
    assert error_of(typed.text, "resource_name") == "The resource name field is required."
    assert error_of(typed.text, "page_cta_url") == "The cta url field must be an http or https URL."
    assert 'value="ftp://example.com"' in typed.text  # the values are kept
    rules = owner.post(
        "/lead-magnets/new",
        editor_post(keyword="guide", text_template="Here: {{link}}", page_markdown_content=""),
    )
    assert rules.status_code == 422
    assert error_of(rules.text, "keyword") == "The keyword has already been taken."
    assert error_of(rules.text, "text_template").startswith(
        "The text template must include {{resource_link}}"
    )
    assert error_of(rules.text, "page_markdown_content") == (
        "A published page needs markdown content."
    )
    no_page = owner.post("/lead-magnets/new", editor_post(has_page=None))
    assert error_of(no_page.text, "has_page") == (
        "A hosted page is required when the delivery mode is hosted_content."
    )
    external = owner.post(
        "/lead-magnets/new", editor_post(delivery_mode="external_link", has_page=None)
    )
    assert error_of(external.text, "external_resource_url").startswith(
        "The external resource url field is required"
    )
    assert "could not be saved" in external.text
    page = owner.get("/lead-magnets").text
    assert "CHECKLIST" not in page


def test_a_magnet_is_edited_and_its_page_removed_when_unticked(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    magnet = make_magnet(db, workspace, hosted_page={"status": "draft"})
    edit = owner.get(f"/lead-magnets/{magnet.id}/edit").text
    assert 'name="keyword" type="text" value="GUIDE"' in edit
    assert '<option value="draft" selected>' in edit
    assert "Public-safe guide content." in edit
    assert "Open the public page" not in edit  # a draft is not public
    response = owner.post(
        f"/lead-magnets/{magnet.id}/edit",
        editor_post(keyword="GUIDE2", page_title="New title", page_status="published"),
    )
    assert response.status_code == 303, response.text
    saved = read_magnet(db, workspace, magnet.id)
    assert saved.keyword == "GUIDE2" and saved.hosted_page is not None
    assert (saved.hosted_page.slug, saved.hosted_page.status) == ("new-title", "published")
    assert "Open the public page" in owner.get(f"/lead-magnets/{magnet.id}/edit").text
    external = editor_post(
        keyword="GUIDE2",
        delivery_mode="external_link",
        external_resource_url="https://example.com/file",
        has_page=None,
    )
    assert owner.post(f"/lead-magnets/{magnet.id}/edit", external).status_code == 303
    removed = read_magnet(db, workspace, magnet.id)
    assert removed.hosted_page is None and removed.delivery_mode == "external_link"
    assert (
        'name="has_page" value="1" checked' not in owner.get(f"/lead-magnets/{magnet.id}/edit").text
    )


def test_another_workspaces_magnet_is_not_found(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    theirs = make_magnet(db, make_workspace(db, "globex"))
    assert owner.get(f"/lead-magnets/{theirs.id}/edit").status_code == 404
    assert owner.get(f"/lead-magnets/{theirs.id}/analytics").status_code == 404
    assert owner.post(f"/lead-magnets/{theirs.id}/delete").status_code == 404


def test_a_magnet_is_deleted_after_a_confirmation(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    magnet = make_magnet(db, workspace)
    edit = owner.get(f"/lead-magnets/{magnet.id}/edit").text
    assert f'action="/lead-magnets/{magnet.id}/delete" data-confirm="Delete the lead magnet' in edit
    response = owner.post(f"/lead-magnets/{magnet.id}/delete")
    assert response.status_code == 303 and response.headers["location"] == "/lead-magnets"
    page = owner.get("/lead-magnets").text
    assert "Lead magnet “GUIDE” deleted. Its leads are kept." in page
    assert "No lead magnets yet" in page


# -- the preview ------------------------------------------------------------------------------

PAYLOAD = (
    "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) "
    '<img src=x onerror="alert(1)"> ![pic](javascript:alert(2)) [ok](https://example.com)'
)


def assert_harmless(html: str) -> None:
    """Nothing of the payload can run: raw HTML is text, javascript: links are not links."""
    assert "<h1>Title</h1>" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html and 'src="javascript' not in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in html


def test_the_preview_answers_the_hosted_pages_sanitised_html(owner: WebSession) -> None:
    response = owner.client.post(
        "/lead-magnets/preview",
        data={"markdown": PAYLOAD},
        headers={"X-CSRF-Token": owner.csrf},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert html == to_safe_html(PAYLOAD)  # the very renderer of /m/{slug}
    assert_harmless(html)


def test_the_preview_needs_the_csrf_token_and_a_session(owner: WebSession, app: FastAPI) -> None:
    missing = owner.client.post("/lead-magnets/preview", data={"markdown": "# Hi"})
    assert missing.status_code == 403
    wrong = owner.client.post(
        "/lead-magnets/preview", data={"markdown": "# Hi"}, headers={"X-CSRF-Token": "forged"}
    )
    assert wrong.status_code == 403
    stranger = visitor(app).post("/lead-magnets/preview", data={"markdown": "# Hi"})
    assert stranger.status_code == 403 and "<h1>Hi</h1>" not in stranger.text


def test_the_preview_button_works_without_javascript_and_saves_nothing(
    owner: WebSession,
) -> None:
    response = owner.post(
        "/lead-magnets/new", editor_post(page_markdown_content=PAYLOAD, action="preview")
    )
    assert response.status_code == 200
    preview = response.text.split("data-preview ", 1)[1].split("</div>", 1)[0]
    assert_harmless(preview)
    assert "Preview updated below; nothing is saved yet." in response.text
    assert "No lead magnets yet" in owner.get("/lead-magnets").text


# -- analytics --------------------------------------------------------------------------------


def test_analytics_show_what_visitors_did_with_the_daily_series(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    magnet = make_magnet(
        db,
        workspace,
        delivery_mode="gated",
        hosted_page={
            "external_resource_url": "https://files.example.com/guide.pdf",
            "cta_label": "Book",
            "cta_url": "https://example.com/book",
        },
    )
    browser = visitor(app)
    assert browser.get("/m/example-guide").status_code == 200
    assert browser.get("/m/example-guide").status_code == 200
    unlocked = browser.post("/m/example-guide", data={"email": "ann@example.com", "name": "Ann"})
    assert unlocked.status_code == 200
    assert browser.get("/m/example-guide").status_code == 200  # a view and a content access
    assert browser.get("/m/example-guide/cta").status_code == 302
    assert browser.get("/m/example-guide/download").status_code == 302

    page = owner.get(f"/lead-magnets/{magnet.id}/analytics").text
    cards = dict(
        re.findall(
            r'<span class="stat-label">([^<]+)</span>\s*<span class="stat-value">([^<]+)</span>',
            page,
        )
    )
    assert cards == {
        "Page views": "3",
        "Unique visitors": "1",
        "Unlocks": "1",
        "Conversion rate": "100.0%",
        "Content access": "2",
        "CTA clicks": "1",
        "Download clicks": "1",
        "Captures": "1",
    }
    daily = rows(section(page, "h-daily"))
    today = charts.bucket_label(datetime.now(UTC).date(), "day")
    assert daily[0] == ["Day", "Page views", "Captures"]
    assert len(daily) == 1 + 30 + 1
    assert daily[-2] == [today, "3", "1"] and daily[-1] == ["Total", "3", "1"]
    assert all(row[1:] == ["0", "0"] for row in daily[1:-2])
    assert "<svg" in page and "<script" not in section(page, "h-daily")
    short = charts.bucket_label(datetime.now(UTC).date(), "day", short=True)
    assert f"Page views · {short}: 3" in page
    captures = rows(section(page, "h-captures"))
    assert captures[0] == ["Lead", "Source", "Date"]
    assert captures[1][0].startswith("Lead #") and captures[1][1] == "hosted page"
    assert re.search(r'href="/leads/\d+">Lead #\d+</a>', page)


def test_a_magnet_without_visits_has_zeros_and_an_empty_chart(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    magnet = make_magnet(db, workspace, hosted_page={"status": "draft"})
    page = owner.get(f"/lead-magnets/{magnet.id}/analytics").text
    assert "Nothing in the last 30 days" in page and "<svg" not in page
    assert "No captures yet" in page and "Open the public page" not in page
    assert rows(section(page, "h-daily"))[-1] == ["Total", "0", "0"]


def test_recent_captures_are_paginated_newest_first(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    magnet = make_magnet(db, workspace, delivery_mode="gated")
    for number in range(27):
        unlock(db, "example-guide", f"person{number}@example.com")
    first = owner.get(f"/lead-magnets/{magnet.id}/analytics").text
    assert len(rows(section(first, "h-captures"))) == 1 + 25
    assert "Older →" in first and "← Newer" not in first
    second = owner.get(f"/lead-magnets/{magnet.id}/analytics?page=2").text
    assert len(rows(section(second, "h-captures"))) == 1 + 2
    assert "← Newer" in second and "Older →" not in second
    assert "Page 2" in second


# -- who may -----------------------------------------------------------------------------------


def test_members_create_edit_and_delete_magnets_and_read_analytics(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    assert 'href="/lead-magnets"' in member.get("/").text  # in the sidebar
    created = member.post("/lead-magnets/new", editor_post())
    assert created.status_code == 303, created.text
    magnet_id = int(created.headers["location"].split("/")[2])
    saved = member.post(f"/lead-magnets/{magnet_id}/edit", editor_post(resource_name="Renamed"))
    assert saved.status_code == 303
    assert read_magnet(db, workspace, magnet_id).resource_name == "Renamed"
    assert member.get(f"/lead-magnets/{magnet_id}/analytics").status_code == 200
    assert member.post(f"/lead-magnets/{magnet_id}/delete").status_code == 303


def test_the_pages_need_a_signed_in_person(client: TestClient) -> None:
    response = client.get("/lead-magnets", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/lead-magnets", "read:lead_magnets"),
        ("GET", "/lead-magnets/new", "write:lead_magnets"),
        ("POST", "/lead-magnets/new", "write:lead_magnets"),
        ("POST", "/lead-magnets/preview", "write:lead_magnets"),
        ("GET", "/lead-magnets/7/edit", "write:lead_magnets"),
        ("POST", "/lead-magnets/7/edit", "write:lead_magnets"),
        ("POST", "/lead-magnets/7/delete", "delete:lead_magnets"),
        ("GET", "/lead-magnets/7/analytics", "read:analytics"),
    ],
)
def test_acting_for_a_client_maps_each_lead_magnet_page_to_its_scope(
    method: str, path: str, scope: str
) -> None:
    assert acting.required_scope(method, path) == scope


def _grant(db: Database, permissions: list[str]) -> None:
    with db.unit_of_work() as session:
        grants.create(
            session, agency_slug="agency", client_slug="client-a", permissions=permissions
        )


def test_acting_for_a_client_is_bounded_by_the_grants_lead_magnet_scopes(
    app: FastAPI, db: Database
) -> None:
    agency = make_workspace(db, "agency", agency=True)
    client_ws = make_workspace(db, "client-a")
    magnet = make_magnet(db, client_ws, keyword="CLIENTS")
    make_magnet(db, agency, keyword="OURS", hosted_page={"title": "Ours"})
    _grant(db, ["read:lead_magnets"])
    browser = TestClient(app, base_url=BASE_URL)
    make_member(db, agency, "staff@agency.example", "member", "Staff")
    staff = WebSession(browser, 0, sign_in(browser, "staff@agency.example"))
    assert staff.post("/clients/act", {"client_id": client_ws.public_id}).status_code == 303
    listing = staff.get("/lead-magnets")
    assert listing.status_code == 200
    assert "CLIENTS" in listing.text and "OURS" not in listing.text
    assert "New lead magnet" not in listing.text and "/analytics" not in listing.text
    assert staff.get("/lead-magnets/new").status_code == 403
    assert staff.post("/lead-magnets/new", editor_post()).status_code == 403
    assert staff.get(f"/lead-magnets/{magnet.id}/edit").status_code == 403
    assert staff.get(f"/lead-magnets/{magnet.id}/analytics").status_code == 403
    assert staff.post(f"/lead-magnets/{magnet.id}/delete").status_code == 403
    _grant(db, ["read:lead_magnets", "read:analytics"])
    assert staff.get(f"/lead-magnets/{magnet.id}/analytics").status_code == 200
    assert f'href="/lead-magnets/{magnet.id}/analytics"' in staff.get("/lead-magnets").text
