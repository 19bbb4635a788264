"""Rate and process in a real browser: a label made in the settings, a lead rated with it on the
Open tab, processed, then followed through Pending (which refreshes itself) to Rated."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from leadhub.db.uow import Database
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import Workspace, make_lead

pytestmark = pytest.mark.slow  # each drives a browser against a real `leadhub serve`

SETTLED_WITHIN_MS = 20_000  # the server's job consumer settles it; the tab refreshes every 5 s


def test_rate_an_open_lead_process_it_and_see_it_rated(  # type: ignore[no-untyped-def]
    page, owner_email: str, live_db: Database, live_workspace: Workspace
) -> None:
    lead_id = make_lead(
        live_db,
        live_workspace,
        first_name="Ada",
        email="ada@example.com",
        attribution={"gclid": "g-1"},
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, owner_email)
    page.goto("/settings/conversion-labels")
    page.get_by_role("link", name="New label").first.click()
    page.get_by_label("Name").fill("Sale")
    page.get_by_label("Value").fill("250")
    page.get_by_role("button", name="Create label").click()
    expect(page.get_by_role("heading", name="Sale")).to_be_visible()
    assert re.fullmatch(r"[0-9a-f-]{36}", page.locator("#label-uuid").inner_text().strip())
    screenshot(page, "conversion-label")

    page.get_by_role("link", name="Conversions").first.click()
    row = page.locator(f'tr[data-lead-id="{lead_id}"]')
    expect(row.get_by_text("gclid")).to_be_visible()
    row.get_by_label("Conversion label for Ada").select_option(label="Sale (250.00 EUR)")
    row.get_by_role("button", name="Rate Ada").click()
    expect(page.get_by_text("Rated Ada “Sale”. Process to send it.")).to_be_visible()
    expect(row.get_by_role("button", name="Undo the rating of Ada")).to_be_visible()
    screenshot(page, "conversions-open")

    page.get_by_role("button", name="Process leads").click()
    page.wait_for_url(re.compile(r"/conversions/pending$"))
    expect(page.get_by_text("Queued the conversions of 1 lead.")).to_be_visible()
    screenshot(page, "conversions-pending")
    page.get_by_text("Nothing pending").wait_for(timeout=SETTLED_WITHIN_MS)

    page.get_by_role("navigation", name="Conversion tabs").get_by_role("link", name="Rated").click()
    rated = page.locator(f'tr[data-lead-id="{lead_id}"]')
    expect(rated.get_by_text("Recorded")).to_be_visible()
    expect(rated.get_by_text("250.00 EUR")).to_be_visible()
    screenshot(page, "conversions-rated")
    assert errors == []
