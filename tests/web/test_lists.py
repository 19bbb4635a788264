"""The lists pages: the workspace's lists with counts, creating, renaming and deleting them, who
may do it, CSRF, and another workspace's lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate, ListRead
from leadhub.errors import NotFound
from leadhub.kit.pagination import PageRequest
from leadhub.surfaces.web import acting
from tests.factories import Workspace, make_lead, make_workspace
from tests.web.conftest import WebSession, make_member, sign_in

# -- helpers -------------------------------------------------------------------------------


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def make_list(
    db: Database,
    workspace: Workspace,
    name: str,
    description: str | None = None,
    lead_ids: Sequence[int] = (),
) -> int:
    with db.unit_of_work() as session:
        principal = workspace.principal()
        data = ListCreate(name=name, description=description)
        created = lists.create_list(session, principal, data=data)
        if lead_ids:
            lists.add_leads(session, principal, created.id, lead_ids)
        return created.id


def stored(db: Database, workspace: Workspace, list_id: int) -> ListRead | None:
    with db.unit_of_work(write=False) as session:
        try:
            return lists.get_list(session, workspace.principal(), list_id)
        except NotFound:
            return None


def names(db: Database, workspace: Workspace) -> list[str]:
    with db.unit_of_work(write=False) as session:
        found = lists.list_lists(session, workspace.principal(), page=PageRequest(1, 100))
        return [item.name for item in found.items]


@pytest.fixture
def other(db: Database) -> Workspace:
    return make_workspace(db, "globex")


# -- the lists page ------------------------------------------------------------------------


def test_the_lists_page_shows_each_list_with_its_count_and_date(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    bob = make_lead(db, workspace, first_name="Bob")
    vip = make_list(db, workspace, "VIP", "Our best prospects", [ann, bob])
    cold = make_list(db, workspace, "Cold")
    response = owner.get("/lists")
    assert response.status_code == 200
    html = response.text
    assert 'href="/lists"' in owner.get("/").text  # in the navigation
    assert f'<a class="list-name" href="/leads?list_id={vip}">VIP</a>' in html
    assert "Our best prospects" in html
    assert f'href="/leads?list_id={vip}" aria-label="2 leads in VIP">2</a>' in html
    assert 'aria-label="0 leads in Cold">0</a>' in html
    assert f'href="/lists/{cold}/edit"' in html
    with db.unit_of_work(write=False) as session:
        created = lists.get_list(session, workspace.principal(), vip).created_at
    assert created.strftime("%d %b %Y") in html
    assert text_of(html).index("VIP") < text_of(html).index("Cold")


def test_an_empty_workspace_says_so(owner: WebSession) -> None:
    page = text_of(owner.get("/lists").text)
    assert "No lists yet" in page and "New list" in page


def test_creating_a_list(owner: WebSession, db: Database, workspace: Workspace) -> None:
    response = owner.post("/lists", {"name": "  Trade show  ", "description": "Met in Lyon"})
    assert response.status_code == 303 and response.headers["location"] == "/lists"
    assert "The list “Trade show” is created." in owner.get("/lists").text
    assert names(db, workspace) == ["Trade show"]
    with db.unit_of_work(write=False) as session:
        (found,) = lists.list_lists(session, workspace.principal(), page=PageRequest()).items
    assert found.description == "Met in Lyon"


def test_a_blank_or_taken_name_is_shown_beside_the_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    blank = owner.post("/lists", {"name": " ", "description": "kept"})
    assert blank.status_code == 422
    assert '<p class="field-error" id="e-name">The name field is required.</p>' in blank.text
    assert ">kept<" in blank.text or 'value="kept"' in blank.text
    make_list(db, workspace, "VIP")
    taken = owner.post("/lists", {"name": "vip"})
    assert taken.status_code == 422
    assert 'id="e-name">The name has already been taken.' in taken.text
    assert 'value="vip"' in taken.text
    too_long = owner.post("/lists", {"name": "x" * 201})
    assert too_long.status_code == 422 and 'id="e-name"' in too_long.text
    assert names(db, workspace) == ["VIP"]


def test_renaming_a_list_keeps_its_leads(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    vip = make_list(db, workspace, "VIP", "Old words", [ann])
    make_list(db, workspace, "Cold")
    form = owner.get(f"/lists/{vip}/edit")
    assert form.status_code == 200
    assert 'value="VIP"' in form.text and "Old words</textarea>" in form.text
    taken = owner.post(f"/lists/{vip}/edit", {"name": "COLD", "description": "x"})
    assert taken.status_code == 422 and "The name has already been taken." in taken.text
    assert 'value="COLD"' in taken.text
    saved = owner.post(f"/lists/{vip}/edit", {"name": "Very important", "description": ""})
    assert saved.status_code == 303 and saved.headers["location"] == "/lists"
    found = stored(db, workspace, vip)
    assert found is not None and found.name == "Very important" and found.description is None
    assert found.total_contacts == 1
    assert "The list “Very important” is saved." in owner.get("/lists").text


def test_deleting_a_list_asks_first_and_leaves_its_leads(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    vip = make_list(db, workspace, "VIP", lead_ids=[ann])
    listed = owner.get("/lists").text
    assert "Its one lead stays in the workspace" in unescape(listed)
    asked = owner.post(f"/lists/{vip}/delete")
    assert asked.status_code == 200
    assert "Delete the list “VIP”?" in asked.text and 'name="confirm" value="yes"' in asked.text
    assert "Its one lead stays in the workspace; only the list goes." in asked.text
    assert stored(db, workspace, vip) is not None
    done = owner.post(f"/lists/{vip}/delete", {"confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == "/lists"
    assert stored(db, workspace, vip) is None
    assert "its leads stay in the workspace" in owner.get("/lists").text
    assert "Ann" in owner.get(f"/leads/{ann}").text


def test_every_form_on_the_lists_pages_carries_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    vip = make_list(db, workspace, "VIP")
    for path in ("/lists", f"/lists/{vip}/edit"):
        forms_html = re.findall(r'<form method="post".*?</form>', owner.get(path).text, re.S)
        assert forms_html, path
        for form_html in forms_html:
            assert f'name="csrf_token" value="{owner.csrf}"' in form_html, (path, form_html[:80])


# -- who may do what -----------------------------------------------------------------------


def test_posts_without_the_csrf_token_are_refused(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    vip = make_list(db, workspace, "VIP", lead_ids=[ann])
    cold = make_list(db, workspace, "Cold")
    data = {"name": "Hacked", "confirm": "yes", "list_id": cold, "ids": ann, "action": "list_add"}
    for path in (
        "/lists",
        f"/lists/{vip}/edit",
        f"/lists/{vip}/delete",
        f"/leads/{ann}/lists",
        f"/leads/{ann}/lists/remove",
        "/leads/bulk",
    ):
        response = owner.client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
    assert names(db, workspace) == ["VIP", "Cold"]
    found = stored(db, workspace, cold)
    assert found is not None and found.total_contacts == 0


def test_another_workspaces_list_is_not_found(
    owner: WebSession, db: Database, workspace: Workspace, other: Workspace
) -> None:
    mine = make_lead(db, workspace, first_name="Ann")
    theirs = make_list(db, other, "Secret", lead_ids=[make_lead(db, other, first_name="Zed")])
    assert "Secret" not in owner.get("/lists").text
    for method, path, data in (
        ("get", f"/lists/{theirs}/edit", {}),
        ("post", f"/lists/{theirs}/edit", {"name": "Mine now"}),
        ("post", f"/lists/{theirs}/delete", {"confirm": "yes"}),
        ("post", f"/leads/{mine}/lists", {"list_id": theirs}),
        ("post", f"/leads/{mine}/lists/remove", {"list_id": theirs}),
        ("post", "/leads/bulk", {"action": "list_add", "list_id": theirs, "ids": mine}),
        ("post", "/leads/bulk", {"action": "list_remove", "list_id": theirs, "ids": mine}),
    ):
        response = owner.get(path) if method == "get" else owner.post(path, data)
        assert response.status_code == 404, (method, path, data)
        assert "Page not found" in response.text
    found = stored(db, other, theirs)
    assert found is not None and found.name == "Secret" and found.total_contacts == 1
    assert owner.get("/lists/999999/edit").status_code == 404
    assert owner.get("/lists/abc/edit").status_code == 404


def test_a_member_manages_lists_as_an_owner_does(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    assert 'href="/lists"' in member.get("/").text
    assert "Create list" in member.get("/lists").text
    assert member.post("/lists", {"name": "Mine"}).status_code == 303
    (list_id,) = _ids(db, workspace)
    assert member.post(f"/lists/{list_id}/edit", {"name": "Ours"}).status_code == 303
    assert names(db, workspace) == ["Ours"]
    assert member.post(f"/lists/{list_id}/delete", {"confirm": "yes"}).status_code == 303
    assert names(db, workspace) == []


def _ids(db: Database, workspace: Workspace) -> list[int]:
    with db.unit_of_work(write=False) as session:
        found = lists.list_lists(session, workspace.principal(), page=PageRequest(1, 100))
        return [item.id for item in found.items]


def test_acting_for_a_client_needs_the_grants_list_scopes(
    app: FastAPI, db: Database, workspace: Workspace
) -> None:
    agency = make_workspace(db, "agency", agency=True)
    vip = make_list(db, workspace, "Client list")
    browser = TestClient(app, base_url="http://testserver")
    make_member(db, agency, "staff@agency.example", "member", "Staff")
    staff = WebSession(browser, 0, sign_in(browser, "staff@agency.example"))

    def act_with(permissions: list[str]) -> None:
        with db.unit_of_work() as session:
            grants.create(
                session, agency_slug="agency", client_slug=workspace.slug, permissions=permissions
            )
        assert staff.post("/clients/act", {"client_id": workspace.public_id}).status_code == 303

    act_with(["read:leads", "read:lists"])
    page = staff.get("/lists")
    assert page.status_code == 200 and "Client list" in page.text
    assert "Create list" not in page.text and f"/lists/{vip}/edit" not in page.text
    assert staff.post("/lists", {"name": "Nope"}).status_code == 403
    assert staff.post(f"/lists/{vip}/delete", {"confirm": "yes"}).status_code == 403
    assert names(db, workspace) == ["Client list"]
    act_with(["read:leads"])  # the same grant, narrowed
    assert staff.get("/lists").status_code == 403
    assert 'href="/lists"' not in staff.get("/leads").text


def test_acting_maps_the_lists_pages_to_their_scopes() -> None:
    assert acting.required_scope("GET", "/lists") == "read:lists"
    assert acting.required_scope("POST", "/lists") == "write:lists"
    assert acting.required_scope("GET", "/lists/3/edit") == "write:lists"
    assert acting.required_scope("POST", "/lists/3/edit") == "write:lists"
    assert acting.required_scope("POST", "/lists/3/delete") == "delete:lists"


def test_the_lists_page_needs_a_signed_in_person(client: TestClient) -> None:
    response = client.get("/lists", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_list_with_leads_offers_its_export_and_an_empty_one_does_not(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    full = make_list(db, workspace, "VIP", lead_ids=[make_lead(db, workspace, first_name="Ann")])
    empty = make_list(db, workspace, "Cold")
    html = owner.get("/lists").text
    assert f'<input type="hidden" name="list_id" value="{full}">' in html
    assert f'name="list_id" value="{empty}"' not in html
    assert 'action="/exports"' in html
