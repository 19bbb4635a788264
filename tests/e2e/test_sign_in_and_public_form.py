"""A person signs in; a visitor fills in a public form; the lead shows up in the app."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.slow  # each drives a browser against a real `leadhub serve`


def test_sign_in_with_a_wrong_then_the_right_password(page, owner_email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login" in page.url
    page.get_by_label("Email").fill(owner_email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("These credentials")
    screenshot(page, "sign-in")
    sign_in(page, owner_email)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    screenshot(page, "dashboard")


def test_a_public_form_submission_arrives_as_a_lead(  # type: ignore[no-untyped-def]
    page, live_server: str, owner_email: str, api_key: str
) -> None:
    form = httpx.post(
        f"{live_server}/api/v1/forms",
        json={
            "name": "Book a demo",
            "fields": [
                {"name": "name", "label": "Full name", "required": True},
                {"name": "email", "type": "email", "required": True},
                {
                    "name": "terms",
                    "label": "I agree to be contacted",
                    "type": "checkbox",
                    "required": True,
                },
            ],
        },
        headers={"Authorization": f"Bearer {api_key}"},
    ).json()["data"]
    page.goto(f"/f/{form['id']}?utm_source=newsletter")
    screenshot(page, "public-form")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the terms box is required
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    sign_in(page, owner_email)
    expect(page.get_by_text("Grace").first).to_be_visible()
