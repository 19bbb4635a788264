"""Lists on the leads pages: the table filtered by a list (a removable chip), the bulk actions
that put the picked leads in a list or take them out, and a lead's lists on its page."""

from __future__ import annotations

import re
from html import unescape

import pytest

from leadhub.db.uow import Database
from leadhub.domains.lists import service as lists
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace, make_lead, make_workspace
from tests.web.conftest import WebSession
from tests.web.test_lists import make_list, stored, text_of


def rows(html: str) -> list[str]:
    return [unescape(name) for name in re.findall(r'aria-label="Select (?!every)([^"]+)"', html)]


def lists_of(db: Database, workspace: Workspace, lead_id: int) -> list[int]:
    with db.unit_of_work(write=False) as session:
        return lists.lists_of(session, workspace.principal(), [lead_id]).get(lead_id, [])


def list_names(db: Database, workspace: Workspace) -> list[str]:
    with db.unit_of_work(write=False) as session:
        found = lists.list_lists(session, workspace.principal(), page=PageRequest(1, 100))
        return [item.name for item in found.items]


@pytest.fixture
def other(db: Database) -> Workspace:
    return make_workspace(db, "globex")


# -- the leads table -----------------------------------------------------------------------


def test_the_table_filtered_by_a_list_shows_a_removable_chip(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    make_lead(db, workspace, first_name="Bob")
    vip = make_list(db, workspace, "VIP", lead_ids=[ann])
    html = owner.get(f"/leads?list_id={vip}&status=new").text
    assert rows(html) == ["Ann"]
    assert '<a class="chip" href="/leads?status=new" title="Remove this filter">List: VIP' in html
    assert f'<option value="{vip}" selected>VIP</option>' in html  # the filter's select
    assert "1 lead matches these filters" in text_of(html)
    unknown = owner.get("/leads?list_id=999999").text
    assert rows(unknown) == [] and "List: #999999 (not found)" in unknown
    assert sorted(rows(owner.get("/leads").text)) == ["Ann", "Bob"]


def test_the_table_offers_the_list_actions(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    bare = owner.get("/leads").text
    assert '<option value="list_add">Add to list…</option>' in bare
    assert 'value="list_remove"' not in bare and "New list named" in bare
    assert 'id="f-list_id"' not in bare  # no list to filter by yet
    vip = make_list(db, workspace, "VIP", lead_ids=[ann])
    html = owner.get(f"/leads?list_id={vip}").text
    assert '<option value="list_remove">Remove from list</option>' in html
    # The list in view is the one chosen, in the filter and in the bulk bar.
    assert html.count(f'<option value="{vip}" selected>VIP</option>') == 2
    assert html.index('value="status"') < html.index('value="list_add"')
    assert html.index('value="list_remove"') < html.index('value="delete"')
    assert 'data-bulk-for="list_add list_remove"' in html and "Or a new list named" in html


def test_bulk_add_to_a_list_returns_to_the_same_view(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    bob = make_lead(db, workspace, first_name="Bob")
    vip = make_list(db, workspace, "VIP", lead_ids=[ann])
    response = owner.post(
        "/leads/bulk",
        {"action": "list_add", "list_id": vip, "ids": [ann, bob], "back": "status=new&evil=1"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/leads?status=new"
    assert lists_of(db, workspace, ann) == [vip] and lists_of(db, workspace, bob) == [vip]
    assert "Added 1 lead to the list “VIP” (1 already in it)." in owner.get("/leads").text


def test_bulk_add_to_a_new_list(owner: WebSession, db: Database, workspace: Workspace) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    make_list(db, workspace, "VIP")
    owner.post("/leads/bulk", {"action": "list_add", "new_list": " Fresh ", "ids": [ann]})
    assert list_names(db, workspace) == ["VIP", "Fresh"]
    assert len(lists_of(db, workspace, ann)) == 1
    assert "Added 1 lead to the list “Fresh”." in owner.get("/leads").text
    owner.post("/leads/bulk", {"action": "list_add", "new_list": "vip", "ids": [ann]})
    assert "New list: The name has already been taken." in owner.get("/leads").text
    assert list_names(db, workspace) == ["VIP", "Fresh"] and len(lists_of(db, workspace, ann)) == 1


def test_bulk_list_actions_without_a_list_say_so(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    for action in ("list_add", "list_remove"):
        response = owner.post("/leads/bulk", {"action": action, "list_id": "", "ids": [ann]})
        assert response.status_code == 303
        assert "Choose a list." in owner.get("/leads").text
    assert list_names(db, workspace) == []


def test_bulk_remove_from_a_list_asks_first_then_takes_them_out(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    bob = make_lead(db, workspace, first_name="Bob")
    vip = make_list(db, workspace, "VIP", lead_ids=[ann, bob])
    form = {"action": "list_remove", "list_id": vip, "ids": [ann, bob], "back": f"list_id={vip}"}
    asked = owner.post("/leads/bulk", form)
    assert asked.status_code == 200
    assert "Take 2 leads out of the list “VIP”?" in asked.text
    assert 'name="confirm" value="yes"' in asked.text and "Yes, take them out" in asked.text
    assert f'href="/leads?list_id={vip}">Cancel' in asked.text
    assert re.search(r'<form method="post" action="/leads/bulk".*?csrf_token', asked.text, re.S)
    assert lists_of(db, workspace, ann) == [vip]
    done = owner.post("/leads/bulk", {**form, "confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == f"/leads?list_id={vip}"
    assert lists_of(db, workspace, ann) == [] and lists_of(db, workspace, bob) == []
    page = owner.get("/leads").text
    assert "Took 2 leads out of the list “VIP”; they stay in the workspace." in page
    assert sorted(rows(page)) == ["Ann", "Bob"]


def test_bulk_list_actions_never_touch_another_workspaces_leads(
    owner: WebSession, db: Database, workspace: Workspace, other: Workspace
) -> None:
    mine = make_lead(db, workspace, first_name="Ann")
    theirs = make_lead(db, other, first_name="Zed")
    vip = make_list(db, workspace, "VIP")
    owner.post("/leads/bulk", {"action": "list_add", "list_id": vip, "ids": [mine, theirs]})
    assert f"These leads do not exist: {theirs}." in owner.get("/leads").text
    found = stored(db, workspace, vip)
    assert found is not None and found.total_contacts == 0  # all or nothing
    assert lists_of(db, other, theirs) == []


def test_a_member_puts_leads_in_lists(
    member: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    vip = make_list(db, workspace, "VIP")
    member.post("/leads/bulk", {"action": "list_add", "list_id": vip, "ids": [ann]})
    assert lists_of(db, workspace, ann) == [vip]
    member.post(f"/leads/{ann}/lists/remove", {"list_id": vip})
    assert lists_of(db, workspace, ann) == []


# -- a lead's page -------------------------------------------------------------------------


def test_the_lead_page_shows_its_lists_and_adds_and_removes_them(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    vip = make_list(db, workspace, "VIP", lead_ids=[ann])
    cold = make_list(db, workspace, "Cold")
    html = owner.get(f"/leads/{ann}").text
    assert f'<a href="/leads?list_id={vip}">VIP</a>' in html
    assert f'<option value="{cold}">Cold</option>' in html
    assert f'<option value="{vip}">' not in html  # already in it
    added = owner.post(f"/leads/{ann}/lists", {"list_id": cold})
    assert added.status_code == 303 and added.headers["location"] == f"/leads/{ann}"
    assert sorted(lists_of(db, workspace, ann)) == sorted([vip, cold])
    page = owner.get(f"/leads/{ann}").text
    assert "Added to the list “Cold”." in page
    removed = owner.post(f"/leads/{ann}/lists/remove", {"list_id": vip})
    assert removed.status_code == 303 and lists_of(db, workspace, ann) == [cold]
    assert "Taken out of the list “VIP”." in owner.get(f"/leads/{ann}").text
    owner.post(f"/leads/{ann}/lists/remove", {"list_id": vip})
    assert "It was not in the list “VIP”." in owner.get(f"/leads/{ann}").text


def test_adding_without_choosing_a_list_is_shown_beside_the_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    make_list(db, workspace, "VIP")
    response = owner.post(f"/leads/{ann}/lists", {"list_id": ""})
    assert response.status_code == 422
    assert '<p class="field-error" id="e-list_id">Choose a list.</p>' in response.text
    assert lists_of(db, workspace, ann) == []


def test_the_lead_page_without_lists_points_to_the_lists_page(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    html = owner.get(f"/leads/{ann}").text
    assert "In no list yet." in html and 'href="/lists">create one</a>' in html
    forms_html = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    for form_html in forms_html:
        assert f'name="csrf_token" value="{owner.csrf}"' in form_html


def test_another_workspaces_lead_cannot_join_a_list(
    owner: WebSession, db: Database, workspace: Workspace, other: Workspace
) -> None:
    theirs = make_lead(db, other, first_name="Zed")
    vip = make_list(db, workspace, "VIP")
    assert owner.post(f"/leads/{theirs}/lists", {"list_id": vip}).status_code == 404
    assert owner.post(f"/leads/{theirs}/lists/remove", {"list_id": vip}).status_code == 404
    found = stored(db, workspace, vip)
    assert found is not None and found.total_contacts == 0
