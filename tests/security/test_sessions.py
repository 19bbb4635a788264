"""The session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), and whose address and scheme
a request has: the peer's, unless the peer is a proxy named in LEADHUB_TRUSTED_PROXIES."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.conftest import BASE_URL, node_app, running_server
from tests.factories import Workspace
from tests.lead_magnets.helpers import create as create_magnet
from tests.web.conftest import PASSWORD, csrf_of, make_member

PROXY = ("10.1.2.3", 40000)
STRANGER = ("203.0.113.9", 40000)


def node(settings: Settings, db: Database, **changes: Any) -> FastAPI:
    changed = settings.model_copy(update=changes)
    return node_app(changed, db)


def session_cookie(client: TestClient, headers: dict[str, str] | None = None) -> str:
    """The Set-Cookie header of a successful sign-in."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": token},
        headers=headers or {},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    cookie: str = response.headers["set-cookie"]
    assert cookie.startswith("leadhub_session=")
    return cookie


def flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


@pytest.fixture
def ann(db: Database, workspace: Workspace) -> None:
    make_member(db, workspace, "ann@example.com")


@pytest.mark.usefixtures("ann")
def test_over_http_the_cookie_is_http_only_and_same_site_but_not_secure(
    client: TestClient,
) -> None:
    cookie = flags(session_cookie(client))
    assert {"httponly", "samesite=lax", "path=/"} <= cookie
    assert "secure" not in cookie


@pytest.mark.usefixtures("ann")
def test_behind_an_https_base_url_every_cookie_is_secure(
    settings: Settings, db: Database, headers: dict[str, str]
) -> None:
    app = node(settings, db, base_url="https://leadhub.example.com")
    # A TLS-terminating proxy that says nothing: the request looks like plain HTTP, and the base
    # URL alone makes the cookies Secure (so the browser only sends them back over HTTPS).
    client = TestClient(app, base_url=BASE_URL)
    first = client.get("/login").headers["set-cookie"]
    assert first.startswith("leadhub_session=")
    assert {"httponly", "samesite=lax", "secure"} <= flags(first)
    browser = TestClient(app, base_url="https://testserver")
    assert {"httponly", "samesite=lax", "secure"} <= flags(session_cookie(browser))
    create_magnet(client, headers)
    visitor = client.get("/m/example-guide").headers["set-cookie"]
    assert visitor.startswith("lh_visitor=") and "secure" in flags(visitor)


@pytest.mark.usefixtures("ann")
def test_a_trusted_proxy_says_https_and_the_cookie_is_secure(
    settings: Settings, db: Database
) -> None:
    app = node(settings, db, trusted_proxies="10.0.0.0/8, 192.0.2.1")
    https = {"X-Forwarded-Proto": "https"}
    proxied = TestClient(app, base_url=BASE_URL, client=PROXY)
    assert "secure" in flags(session_cookie(proxied, https))
    assert "secure" not in flags(session_cookie(TestClient(app, base_url=BASE_URL, client=PROXY)))
    # Anyone else saying so is not believed.
    stranger = TestClient(app, base_url=BASE_URL, client=STRANGER)
    assert "secure" not in flags(session_cookie(stranger, https))


def test_answers_to_https_requests_carry_strict_transport_security(
    settings: Settings, db: Database, headers: dict[str, str]
) -> None:
    app = node(settings, db, trusted_proxies="10.0.0.0/8")
    https = {"X-Forwarded-Proto": "https"}
    proxied = TestClient(app, base_url=BASE_URL, client=PROXY)
    for path, sent in (("/login", {}), ("/api/v1/me", headers), ("/api/v1/nowhere", headers)):
        answer = proxied.get(path, headers={**sent, **https})
        assert answer.headers["strict-transport-security"] == "max-age=31536000", path
        # Over plain HTTP a browser would ignore it; it is not sent.
        plain = proxied.get(path, headers=sent)
        assert "strict-transport-security" not in plain.headers, path
    stranger = TestClient(app, base_url=BASE_URL, client=STRANGER)
    assert "strict-transport-security" not in stranger.get("/login", headers=https).headers
    https_base = node(settings, db, base_url="https://leadhub.example.com", hsts_seconds=600)
    answer = TestClient(https_base, base_url=BASE_URL).get("/login")
    assert answer.headers["strict-transport-security"] == "max-age=600"
    switched_off = node(settings, db, base_url="https://leadhub.example.com", hsts_seconds=0)
    answer = TestClient(switched_off, base_url=BASE_URL).get("/login")
    assert "strict-transport-security" not in answer.headers
    assert "secure" in flags(answer.headers["set-cookie"])


def test_proxies_are_trusted_only_when_named(settings: Settings, db: Database) -> None:
    assert Settings().trusted_proxy_list == []
    app = node(settings, db)
    stranger = TestClient(app, base_url=BASE_URL, client=PROXY)
    token = csrf_of(stranger.get("/login").text)
    # Failed sign-ins are limited per address: a forged X-Forwarded-For does not reset it.
    for attempt in range(20):
        answer = fail_sign_in(stranger, token, attempt, f"198.51.100.{attempt}")
        assert answer.status_code == 401
    assert fail_sign_in(stranger, token, 99, "198.51.100.200").status_code == 429
    with pytest.raises(ValueError, match="not-an-address"):
        Settings(trusted_proxies="10.0.0.0/8,not-an-address")


def test_a_trusted_proxys_forwarded_address_is_the_client(settings: Settings, db: Database) -> None:
    app = node(settings, db, trusted_proxies="10.0.0.0/8")
    proxy = TestClient(app, base_url=BASE_URL, client=PROXY)
    token = csrf_of(proxy.get("/login").text)
    for attempt in range(20):
        assert fail_sign_in(proxy, token, attempt, "198.51.100.1").status_code == 401
    assert fail_sign_in(proxy, token, 50, "198.51.100.1").status_code == 429
    # Another client behind the same proxy has a budget of its own.
    assert fail_sign_in(proxy, token, 51, "198.51.100.2").status_code == 401
    # The address a client claims in front of the proxy is not believed, only the proxy's word.
    chained = "198.51.100.1, 198.51.100.3"
    assert fail_sign_in(proxy, token, 52, chained).status_code == 401


def fail_sign_in(
    client: TestClient | httpx.Client, token: str, attempt: int, forwarded_for: str
) -> httpx.Response:
    return client.post(
        "/login",
        data={"email": f"nobody{attempt}@example.com", "password": "wrong", "csrf_token": token},
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.mark.slow
def test_leadhub_serve_ignores_forwarded_headers_unless_told(
    tmp_path: Path, own_database_url: str
) -> None:
    # A server of its own: the session's live server may have spent this address's budget.
    env = {"LEADHUB_DATABASE_URL": own_database_url, "LEADHUB_DATA_DIR": str(tmp_path / "data")}
    with (
        running_server(tmp_path / "run", env) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as browser,
    ):
        token = csrf_of(browser.get("/login").text)
        for attempt in range(20):
            answer = fail_sign_in(browser, token, attempt, f"198.51.100.{attempt}")
            assert answer.status_code == 401
        refused = fail_sign_in(browser, token, 99, "198.51.100.250")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        login = browser.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "secure" not in flags(login.headers.get("set-cookie", "x=1"))
