"""The web app's inbox: comments and DMs recorded through the service, listed newest first with
the API's filters, and marked replied, ignored or new again (members too; agencies by grant)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.activity import service as activity
from leadhub.domains.activity.schemas import (
    ActivityCreate,
    ActivityFilters,
    ActivityRead,
    ActivityUpdate,
)
from leadhub.domains.grants import service as grants
from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.lead_magnets.schemas import MagnetCreate
from leadhub.domains.users.signin import MEMBER_SCOPES
from leadhub.kit.pagination import PageRequest
from leadhub.surfaces.web import acting
from tests.activity.helpers import event
from tests.factories import Workspace, make_workspace
from tests.lead_magnets.helpers import guide
from tests.web.conftest import WebSession, make_member, sign_in
from tests.web.tables import rows

ANA = "https://www.linkedin.com/in/ana"
BEN = "https://www.linkedin.com/in/ben"
CID = "https://www.linkedin.com/in/cid"


def _record(db: Database, workspace: Workspace, **changes: Any) -> ActivityRead:
    data = ActivityCreate.model_validate(event(**changes))
    with db.unit_of_work() as session:
        recorded = activity.record(
            session, workspace.principal(), data=data, page_url=lambda slug: f"/m/{slug}"
        )
        return recorded.activity


def _status(db: Database, workspace: Workspace, activity_id: str) -> str:
    with db.unit_of_work(write=False) as session:
        return activity.get_activity(session, workspace.principal(), activity_id).status


@pytest.fixture
def seeded(db: Database, workspace: Workspace) -> dict[str, ActivityRead]:
    """Ana asks for GUIDE in a comment, Ben writes a DM (replied), Cid comments later."""
    with db.unit_of_work() as session:
        magnets.create_magnet(
            session, workspace.principal(), data=MagnetCreate.model_validate(guide())
        )
    ana = _record(
        db,
        workspace,
        linkedin_profile_url=ANA,
        author_name="Ana Alvarez",
        author_headline="Founder at Alpha",
        content="GUIDE please",
        occurred_at="2026-06-01T10:00:00Z",
    )
    ben = _record(
        db,
        workspace,
        source="dm",
        linkedin_profile_url=BEN,
        author_name="Ben Brown",
        author_headline="CTO at Beta",
        content="Hello there, nice post",
        occurred_at="2026-06-02T10:00:00Z",
    )
    cid = _record(
        db,
        workspace,
        linkedin_profile_url=CID,
        author_name="Cid Costa",
        author_headline="Marketer",
        content="Thanks for sharing",
        occurred_at="2026-06-03T10:00:00Z",
    )
    with db.unit_of_work() as session:
        activity.update_activity(
            session, workspace.principal(), ben.id, data=ActivityUpdate(status="replied")
        )
    return {"ana": ana, "ben": ben, "cid": cid}


def _grant(db: Database, permissions: list[str]) -> None:
    """The agency's grant on acme, with these permissions (the same grant, updated)."""
    with db.unit_of_work() as session:
        grants.create(session, agency_slug="agency", client_slug="acme", permissions=permissions)


def _authors(page: str) -> list[str]:
    return [cells[0].split(" ")[0] for cells in rows(page)[1:]]


def test_the_inbox_is_in_the_nav_and_empty_at_first(owner: WebSession) -> None:
    page = owner.get("/inbox")
    assert page.status_code == 200
    assert 'href="/inbox"' in page.text and "The inbox is empty" in page.text


def test_the_inbox_lists_activity_newest_first_with_author_keyword_and_lead(
    owner: WebSession, seeded: dict[str, ActivityRead]
) -> None:
    page = owner.get("/inbox").text
    assert _authors(page) == ["Cid", "Ben", "Ana"]
    assert "Founder at Alpha" in page and "Example Guide" in page
    assert f'<a href="{ANA}" target="_blank" rel="noopener noreferrer">' in page
    assert f'href="/leads/{seeded["ana"].lead_id}"' in page
    ana = next(cells for cells in rows(page)[1:] if cells[0].startswith("Ana"))
    assert ana[2].startswith("GUIDE") and "Comment" in ana[1] and "GUIDE please" in ana[1]
    assert "01 Jun 2026, 10:00 UTC" in ana[3] and ana[4].startswith("New")


def test_each_filter_narrows_the_list_and_stays_in_the_form(
    owner: WebSession, seeded: dict[str, ActivityRead]
) -> None:
    assert _authors(owner.get("/inbox?source=dm").text) == ["Ben"]
    assert _authors(owner.get("/inbox?source=comments").text) == ["Cid", "Ana"]
    assert _authors(owner.get("/inbox?status=replied").text) == ["Ben"]
    assert _authors(owner.get("/inbox?status=new").text) == ["Cid", "Ana"]
    assert _authors(owner.get("/inbox?keyword=guide").text) == ["Ana"]
    assert _authors(owner.get("/inbox?search=nice").text) == ["Ben"]
    assert _authors(owner.get("/inbox?search=costa").text) == ["Cid"]
    page = owner.get("/inbox?source=comment&status=new&keyword=GUIDE&search=please").text
    assert _authors(page) == ["Ana"]
    assert '<option value="comment" selected>' in page
    assert 'name="keyword" value="GUIDE"' in page and 'name="search" value="please"' in page
    none = owner.get("/inbox?status=ignored").text
    assert "Nothing matches these filters" in none
    # An unknown source or status is left out rather than refused.
    assert _authors(owner.get("/inbox?source=fax").text) == ["Cid", "Ben", "Ana"]


def test_status_buttons_change_it_and_keep_the_filters(
    owner: WebSession, db: Database, workspace: Workspace, seeded: dict[str, ActivityRead]
) -> None:
    ana = seeded["ana"].id
    page = owner.get("/inbox?source=comment").text
    assert f'action="/inbox/{ana}/status"' in page and "Mark replied" in page
    response = owner.post(
        f"/inbox/{ana}/status", {"to": "replied", "source": "comment", "status": "new", "page": "1"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/inbox?source=comment&status=new&page=1"
    assert _status(db, workspace, ana) == "replied"
    assert "Ana Alvarez: marked replied." in (after := owner.get(response.headers["location"]).text)
    assert _authors(after) == ["Cid"]  # Ana is replied now: out of the "new" filter
    assert owner.post(f"/inbox/{ana}/status", {"to": "ignored"}).status_code == 303
    assert _status(db, workspace, ana) == "ignored"
    assert owner.post(f"/inbox/{ana}/status", {"to": "new"}).status_code == 303
    assert _status(db, workspace, ana) == "new"
    refused = owner.post(f"/inbox/{ana}/status", {"to": "bogus"})
    assert refused.status_code == 303 and _status(db, workspace, ana) == "new"
    assert owner.post("/inbox/no-such-id/status", {"to": "replied"}).status_code == 404


def test_a_status_change_needs_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace, seeded: dict[str, ActivityRead]
) -> None:
    ana = seeded["ana"].id
    forged = owner.client.post(
        f"/inbox/{ana}/status", data={"to": "ignored"}, follow_redirects=False
    )
    assert forged.status_code in (400, 403)
    wrong = owner.client.post(
        f"/inbox/{ana}/status",
        data={"to": "ignored", "csrf_token": "nope"},
        follow_redirects=False,
    )
    assert wrong.status_code in (400, 403)
    assert _status(db, workspace, ana) == "new"


def test_members_read_and_triage_the_inbox(
    member: WebSession, db: Database, workspace: Workspace, seeded: dict[str, ActivityRead]
) -> None:
    assert {"read:activity", "write:activity"} <= MEMBER_SCOPES
    page = member.get("/inbox")
    assert page.status_code == 200 and 'href="/inbox"' in page.text
    assert _authors(page.text) == ["Cid", "Ben", "Ana"]
    cid = seeded["cid"].id
    assert member.post(f"/inbox/{cid}/status", {"to": "ignored"}).status_code == 303
    assert _status(db, workspace, cid) == "ignored"


def test_content_is_escaped_and_long_content_shortened_with_the_full_text(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    _record(db, workspace, content='<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = owner.get("/inbox").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    long = "word " * 200 + "THE-END"
    _record(db, workspace, linkedin_profile_url=BEN, content=long)
    page = owner.get("/inbox").text
    assert '<details class="content-more">' in page and "THE-END" in page
    summary = page.split("<summary>", 1)[1].split("</summary>", 1)[0]
    assert "THE-END" not in summary and summary.endswith("...")
    assert "<script" not in page.split("<main", 1)[1]  # no inline scripts


def test_the_inbox_pages_through_many_messages(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    for number in range(27):
        _record(
            db,
            workspace,
            content=f"message {number}",
            occurred_at=f"2026-06-01T10:{number:02d}:00Z",
        )
    first = owner.get("/inbox?source=comment").text
    assert "message 26" in first and "message 1<" not in first
    assert 'href="http://testserver/inbox?source=comment&amp;page=2"' in first
    second = owner.get("/inbox?source=comment&page=2").text
    assert "message 1" in second and "message 0" in second and "message 26" not in second


def test_acting_for_a_client_needs_the_activity_permissions(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    assert acting.required_scope("GET", "/inbox") == "read:activity"
    assert acting.required_scope("POST", "/inbox/abc/status") == "write:activity"
    agency = make_workspace(db, "agency", agency=True)
    browser = TestClient(app, base_url="http://testserver")
    make_member(db, agency, "staff@agency.example", "member", "Staff")
    staff = WebSession(browser, 0, sign_in(browser, "staff@agency.example"))
    mine = _record(db, workspace, author_name="Clientperson", content="GUIDE?")
    _grant(db, ["read:activity"])
    assert staff.post("/clients/act", {"client_id": workspace.public_id}).status_code == 303
    page = staff.get("/inbox")
    assert page.status_code == 200 and "Clientperson" in page.text
    assert 'href="/inbox"' in page.text and "Mark replied" not in page.text
    refused = staff.post(f"/inbox/{mine.id}/status", {"to": "replied"})
    assert refused.status_code == 403 and _status(db, workspace, mine.id) == "new"
    _grant(db, ["read:activity", "write:activity"])
    assert "Mark replied" in staff.get("/inbox").text
    done = staff.post(f"/inbox/{mine.id}/status", {"to": "replied"})
    assert done.status_code == 303 and _status(db, workspace, mine.id) == "replied"
    _grant(db, ["read:leads"])
    assert staff.get("/inbox").status_code == 403
    assert 'href="/inbox"' not in staff.get("/leads").text


def test_the_service_lists_what_the_page_shows(
    owner: WebSession, db: Database, workspace: Workspace, seeded: dict[str, ActivityRead]
) -> None:
    with db.unit_of_work(write=False) as session:
        listed = activity.list_activities(
            session,
            workspace.principal(),
            filters=ActivityFilters(source="dm"),
            page=PageRequest(1, 25),
        )
    page = owner.get("/inbox?source=dm").text
    assert [item.author_name for item in listed.items] == ["Ben Brown"]
    assert html.escape(listed.items[0].content) in page
