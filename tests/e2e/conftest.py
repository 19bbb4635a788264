"""Browser tests: Playwright for Python driving Debian's Chromium against a real server.

Screenshots of the pages go to test-artifacts/screenshots/ (ignored by git). Without Chromium the
tests are skipped, unless LEADHUB_TEST_REQUIRE_SERVICES=1 (as in CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadhub.db.uow import Database
from tests.conftest import unavailable
from tests.factories import Workspace, make_key
from tests.web.conftest import PASSWORD, make_member

CHROMIUM = os.environ.get("LEADHUB_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    # The pages' Content-Security-Policy must not block anything the app itself does.
    blocked: list[str] = []
    opened.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield opened
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def owner_email(live_db: Database, live_workspace: Workspace) -> str:
    make_member(live_db, live_workspace, "owner@example.com", "owner", "Olivia Owner")
    return "owner@example.com"


@pytest.fixture
def api_key(live_db: Database, live_workspace: Workspace) -> str:
    return make_key(live_db, live_workspace)


def sign_in(page, email: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Keep a picture of the page as a person sees it, at desktop and phone widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)
