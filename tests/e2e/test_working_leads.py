"""The flows people use every day, in a real browser: leads, the board, API keys."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from leadhub.db.uow import Database
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import Workspace, default_pipeline, make_lead

pytestmark = pytest.mark.slow  # each drives a browser against a real `leadhub serve`


def test_create_a_lead_then_find_it_with_the_filters(page, owner_email: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, owner_email)
    page.get_by_role("link", name="Leads").first.click()
    page.get_by_role("link", name="+ New lead").click()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Create lead").click()
    expect(page.get_by_text("The email field must be a valid email address.").first).to_be_visible()
    screenshot(page, "lead-form-errors")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Create lead").click()
    page.wait_for_url(re.compile(r"/leads/\d+$"))
    expect(page.get_by_role("heading", name=re.compile("Ada"))).to_be_visible()
    screenshot(page, "lead-page")
    page.goto("/leads")
    page.get_by_label("Search").fill("nobody-matches-this")
    page.get_by_role("search", name="Filter leads").get_by_role("button", name="Apply").click()
    assert "search=nobody-matches-this" in page.url
    expect(page.get_by_role("link", name="Clear filters").first).to_be_visible()
    page.get_by_label("Search").fill("ada@")
    page.get_by_role("search", name="Filter leads").get_by_role("button", name="Apply").click()
    expect(page.get_by_role("link", name=re.compile("Ada")).first).to_be_visible()
    screenshot(page, "leads-table")


def test_drag_a_card_to_another_column(  # type: ignore[no-untyped-def]
    page, owner_email: str, live_db: Database, live_workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(live_db, live_workspace)
    lead_id = make_lead(live_db, live_workspace, first_name="Dragged", pipeline_stage_id=stages[0])
    sign_in(page, owner_email)
    page.goto(f"/pipelines/{pipeline_id}")
    card = page.locator(f'[data-lead-id="{lead_id}"]')
    target = page.locator(f'[data-stage-id="{stages[2]}"] [data-dropzone]')
    card.drag_to(target)
    page.locator(f'[data-stage-id="{stages[2]}"] [data-lead-id="{lead_id}"]').wait_for()
    screenshot(page, "board")
    page.reload()
    assert page.locator(f'[data-stage-id="{stages[2]}"] [data-lead-id="{lead_id}"]').count() == 1
    page.goto(f"/leads/{lead_id}")
    expect(page.get_by_text(re.compile("Qualified")).first).to_be_visible()


def test_create_an_api_key_and_use_it(page, owner_email: str, live_server: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, owner_email)
    page.goto("/settings/api-keys")
    page.get_by_role("link", name="New API key").first.click()
    page.get_by_label("Name").fill("Zapier")
    page.locator('input[name="scopes"][value="read:leads"]').check()
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key-value").inner_text().strip()
    assert key.startswith("lh_")
    screenshot(page, "api-key-created")
    response = httpx.get(f"{live_server}/api/v1/leads", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    refused = httpx.post(
        f"{live_server}/api/v1/leads",
        json={"first_name": "X"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert refused.status_code == 403
    page.reload()
    assert page.locator("#new-key-value").count() == 0
