"""The Account page (owners and admins): credits, usage charts, the quota, activity and history."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.account import service as account
from leadhub.domains.account import usage
from leadhub.domains.credits import service as credits
from leadhub.surfaces.common.usage import UsageMeter
from tests.account.helpers import activity, only
from tests.factories import Workspace, make_key, make_workspace
from tests.web.conftest import WebSession

PAGES = ["/account", "/account/credits", "/account/activity", "/account/history"]


def quota_of(db: Database, workspace: Workspace) -> int | None:
    with db.unit_of_work(write=False) as session:
        return usage.quota_of(session, workspace.id)


def test_owners_find_the_account_in_the_nav_and_members_do_not(
    owner: WebSession, member: WebSession
) -> None:
    assert 'href="/account"' in owner.get("/").text
    assert 'href="/account"' not in member.get("/").text
    for path in PAGES:
        assert owner.get(path).status_code == 200, path
        assert member.get(path).status_code == 403, path


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/account", follow_redirects=False)
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]


def test_the_overview_shows_credits_usage_charts_and_the_quota(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace, client: TestClient
) -> None:
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 1200)
        credits.spend(session, workspace.id, 200, "export")
        account.set_quota(session, workspace.id, 5000)
    key = make_key(db, workspace)
    for _ in range(3):
        client.get("/api/v1/leads", headers={"X-Api-Key": key})
    page = owner.get("/account").text
    assert "1,000" in page and "1,200" in page  # left, received
    assert "of 5,000" in page and "4,997 left" in page
    assert page.count("<svg") == 2  # calls per month, calls per key
    assert 'aria-label="API calls per month, the last 12 months"' in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'name="quota" type="text" value="5000"' in page


def test_with_no_calls_there_is_no_chart(owner: WebSession) -> None:
    page = owner.get("/account").text
    assert "<svg" not in page and "No API calls in the last 12 months." in page
    assert "No monthly quota." in page


def test_the_quota_is_set_and_cleared_with_the_form(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    response = owner.post("/account/quota", {"quota": "15,000"})
    assert response.status_code == 303 and response.headers["location"] == "/account"
    assert quota_of(db, workspace) == 15000
    assert only(db, workspace, "workspace.quota_changed").actor.id == owner.user_id
    assert owner.post("/account/quota", {"quota": ""}).status_code == 303
    assert quota_of(db, workspace) is None


def test_a_bad_quota_is_shown_beside_the_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    response = owner.post("/account/quota", {"quota": "lots"})
    assert response.status_code == 422
    assert 'id="e-quota">The quota must be a whole number' in response.text
    assert owner.post("/account/quota", {"quota": "0"}).status_code == 422
    assert quota_of(db, workspace) is None


def test_the_quota_form_needs_csrf_and_an_admin(
    owner: WebSession, member: WebSession, db: Database, workspace: Workspace
) -> None:
    refused = owner.client.post("/account/quota", data={"quota": "5"}, follow_redirects=False)
    assert refused.status_code == 403
    assert member.post("/account/quota", {"quota": "5"}).status_code == 403
    assert quota_of(db, workspace) is None


def test_the_ledger_page(owner: WebSession, db: Database, workspace: Workspace) -> None:
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 50, reason="welcome pack")
        credits.spend(session, workspace.id, 7, "export of Hot leads")
    page = owner.get("/account/credits").text
    assert "welcome pack" in page and "+50" in page
    assert "export of Hot leads" in page and "-7" in page


def test_the_activity_page_lists_and_filters(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    with db.unit_of_work() as session:
        account.add_credits(session, workspace.id, 50)
    page = owner.get("/account/activity").text
    assert "credits.added" in page and "Credits added" in page
    assert "user.signed_in" in page and "owner@example.com" in page  # people named by email
    filtered = owner.get("/account/activity?action=credits").text
    assert "credits.added" in filtered and "user.signed_in" not in filtered
    bad = owner.get("/account/activity?date_from=soon")
    assert bad.status_code == 422 and 'id="e-date_from"' in bad.text


def test_a_web_sign_in_is_noted_with_its_address(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    entry = only(db, workspace, "user.signed_in")
    assert (entry.actor.type, entry.actor.id) == ("user", owner.user_id)
    assert entry.ip_address == "testclient"


def test_a_search_in_the_web_lead_list_shows_in_the_history(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    assert owner.get("/leads?search=initech").status_code == 200
    page = owner.get("/account/history").text
    assert "initech" in page and "contacts" in page and "Web app" in page


def test_workspace_settings_take_an_address_and_a_phone(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    values = {
        "name": "Acme",
        "slug": "acme",
        "default_region": "GB",
        "address": "10 Downing St",
        "phone": "020 7946 0018",
    }
    assert owner.post("/settings/workspace", values).status_code == 303
    page = owner.get("/settings/workspace").text
    assert "10 Downing St" in page and 'value="+442079460018"' in page
    changes = only(db, workspace, "workspace.updated").details["changes"]
    assert set(changes) == {"name", "default_region", "address", "phone"}


def test_another_workspaces_activity_is_not_shown(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    other = make_workspace(db, "globex")
    with db.unit_of_work() as session:
        account.add_credits(session, other.id, 77, reason="globex credits")
    assert "globex credits" not in owner.get("/account/activity").text
    assert "globex credits" not in owner.get("/account/credits").text
    assert len(activity(db, other)) == 1


def test_the_page_counts_unflushed_calls(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace, client: TestClient
) -> None:
    meter: UsageMeter = app.state.runtime.usage
    meter.flush_seconds = 3600  # no flush by time during the test
    key = make_key(db, workspace)
    client.get("/api/v1/tags", headers={"X-Api-Key": key})
    assert meter.unflushed(workspace.id) == 1
    assert '<span class="stat-value">1</span>' in owner.get("/account").text
