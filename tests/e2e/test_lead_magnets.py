"""A lead magnet in a real browser: write its page with the live preview, publish, open it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leadhub.db.uow import Database
from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.slow  # each drives a browser against a real `leadhub serve`


def test_create_a_magnet_with_the_live_preview_publish_and_open_its_page(  # type: ignore[no-untyped-def]
    page, live_db: Database, owner_email: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, owner_email)
    page.locator("aside.sidebar").get_by_role("link", name="Lead magnets").click()
    expect(page.get_by_text("No lead magnets yet")).to_be_visible()
    page.get_by_role("link", name="New lead magnet").click()

    page.get_by_label("Delivery mode").select_option("hosted_content")
    page.get_by_label("Keyword").fill("PLAYBOOK")
    page.get_by_label("Resource name").fill("Sales playbook")
    page.get_by_label("Title", exact=True).fill("The sales playbook")
    preview = page.locator("[data-preview]")
    markdown = page.get_by_label("Content (Markdown)")
    markdown.fill("")
    markdown.press_sequentially("# Playbook\n\nStep **one**, then [two](https://example.com).")
    preview.locator("h1", has_text="Playbook").wait_for()
    preview.locator("strong", has_text="one").wait_for()
    assert preview.get_by_role("link", name="two").get_attribute("href") == "https://example.com"
    markdown.press_sequentially("\n\n<script>alert(1)</script>")
    preview.get_by_text("<script>alert(1)</script>").wait_for()  # shown as text, never run
    assert preview.locator("script").count() == 0
    page.get_by_label("Status").select_option("published")
    screenshot(page, "lead-magnet-editor")

    page.get_by_role("button", name="Create lead magnet").click()
    expect(page.get_by_text("Lead magnet “PLAYBOOK” created.")).to_be_visible()
    public_url = page.get_by_role("link", name="Open the public page").get_attribute("href")
    assert public_url and public_url.endswith("/m/the-sales-playbook")

    page.get_by_role("link", name="Lead magnets").first.click()
    expect(page.get_by_role("link", name="PLAYBOOK", exact=True)).to_be_visible()
    expect(page.get_by_text("/m/the-sales-playbook")).to_be_visible()
    screenshot(page, "lead-magnets")

    page.goto(public_url)
    expect(page.get_by_role("heading", name="Playbook", exact=True)).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()
    screenshot(page, "lead-magnet-public-page")

    page.goto("/lead-magnets")
    page.get_by_role("link", name="Analytics").first.click()
    expect(page.get_by_text("Page views").first).to_be_visible()
    page.get_by_text("Show the numbers").click()
    today_row = page.locator("details.numbers tbody tr").last
    assert today_row.locator("td").first.inner_text() == "1"  # the visit just made
    screenshot(page, "lead-magnet-analytics")
    assert errors == []
