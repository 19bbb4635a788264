"""An agency in a real browser: grant access to a client, act for it, and come back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leadhub.db.uow import Database
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_lead, make_user, make_workspace
from tests.web.conftest import make_member

pytestmark = pytest.mark.slow  # each drives a browser against a real `leadhub serve`


def test_grant_a_client_then_act_for_it_and_come_back(page, live_db: Database) -> None:  # type: ignore[no-untyped-def]
    agency = make_workspace(live_db, "northwind-agency", agency=True)
    client = make_workspace(live_db, "acme-client")
    make_lead(live_db, agency, first_name="Agencyside")
    make_lead(live_db, client, first_name="Clientside")
    make_member(live_db, agency, "boss@northwind.example", "owner", "Bea Boss")
    # Invited as an admin of the client (no password of its own): she may grant the agency.
    make_user(live_db, client, "boss@northwind.example", "admin")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "boss@northwind.example")

    page.goto("/settings")
    page.get_by_role("link", name="Clients").first.click()
    page.get_by_role("link", name="Add a client").first.click()
    page.get_by_label("Client workspace").fill("acme-client")
    page.get_by_label("Label").fill("Acme retainer")
    page.get_by_label("read leads").check()
    page.get_by_label("write leads").check()
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_text("The agency can now act for acme-client.")).to_be_visible()
    screenshot(page, "agency-clients")

    sidebar = page.locator("aside.sidebar")
    sidebar.get_by_label("Working for").select_option(label="acme-client")
    page.get_by_text("You are acting for acme-client.").wait_for()
    banner = page.locator(".acting-banner")
    expect(banner.get_by_text("Acting for acme-client")).to_be_visible()
    sidebar.get_by_role("link", name="Leads").click()
    expect(page.get_by_role("link", name="Clientside").first).to_be_visible()
    assert page.get_by_text("Agencyside").count() == 0
    assert sidebar.get_by_role("link", name="Pipelines").count() == 0  # not in the grant
    screenshot(page, "agency-acting-for-client")

    page.get_by_role("button", name="Back to northwind-agency").click()
    page.get_by_text("You are back in northwind-agency.").wait_for()
    page.goto("/leads")
    expect(page.get_by_role("link", name="Agencyside").first).to_be_visible()
    assert page.get_by_text("Acting for").count() == 0
    assert errors == []
