"""The pages' Content-Security-Policy in a real browser: an embedded form in another site's page
sizes itself and submits, a form sends the visitor on to its redirect site, and a payload that
slipped into a page would not run (the page fixture fails on any blocked action of the app's)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.slow  # each drives a browser against a real `leadhub serve`

ELSEWHERE = "https://thanks.example"


def make_form(live_server: str, api_key: str, **changes: object) -> dict[str, object]:
    response = httpx.post(
        f"{live_server}/api/v1/forms",
        json={"name": "Newsletter", "fields": [{"name": "email", "type": "email"}], **changes},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert response.status_code == 201, response.text
    form: dict[str, object] = response.json()["data"]
    return form


def test_a_form_sends_the_visitor_on_to_its_redirect_site(  # type: ignore[no-untyped-def]
    page, live_server: str, api_key: str
) -> None:
    form = make_form(live_server, api_key, redirect_url=f"{ELSEWHERE}/done?from=form")
    page.route(
        f"{ELSEWHERE}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Thanks</h1>"),
    )
    page.goto(f"/f/{form['id']}")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"{ELSEWHERE}/done?from=form")
    expect(page.get_by_role("heading", name="Thanks")).to_be_visible()


def test_another_site_embeds_the_form_and_it_fits_and_submits(  # type: ignore[no-untyped-def]
    page, live_server: str, api_key: str
) -> None:
    form = make_form(live_server, api_key)
    snippet = f'<h1>Our site</h1><script src="{live_server}/f/{form["id"]}/embed.js"></script>'
    # Another origin on this machine (the browser lets only local pages reach the loopback
    # test server): a site of the customer's, serving the embed snippet.
    with site(snippet.encode()) as host:
        page.goto(f"{host}/landing?utm_source=partner")
        frame = page.frame_locator("iframe[title='Newsletter']")
        frame.get_by_label("Email").fill("ada@example.com")
        frame.get_by_role("button", name="Submit").click()
        thanks = frame.get_by_role("heading", name="Thank you")
        thanks.wait_for(timeout=15_000)  # the frame has moved on to the answer page
        expect(thanks).to_be_visible()
        height = page.locator("iframe").evaluate("(element) => element.style.height")
    assert height.endswith("px")  # frame.js ran and told the page its height


@contextmanager
def site(body: bytes) -> Iterator[str]:
    """A web server on 127.0.0.1 answering every GET with this HTML page; its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_app_refuses_to_run_a_script_a_page_did_not_ship(  # type: ignore[no-untyped-def]
    browser, live_server: str, owner_email: str
) -> None:
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    try:
        sign_in(page, owner_email)
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        ran = page.evaluate(
            """() => {
                window.injected = false;
                const holder = document.createElement('div');
                holder.innerHTML = '<img src="data:," onerror="window.injected = true">';
                document.body.append(holder);
                return new Promise((done) => setTimeout(() => done(window.injected), 300));
            }"""
        )
        assert ran is False
        assert any("Content Security Policy" in text for text in messages), messages
    finally:
        context.close()
