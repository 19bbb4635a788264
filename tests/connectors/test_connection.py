"""Testing a connection: each type against a local server, and the button in the web settings."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.integrations import connectors
from leadhub.domains.integrations.connectors import ConnectionResult
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import free_port
from tests.connectors.conftest import make_integration
from tests.connectors.servers import Received, http_server
from tests.factories import Workspace
from tests.web.conftest import WebSession, make_member, sign_in


def check(app: FastAPI, workspace: Workspace, integration_id: int) -> ConnectionResult:
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work() as session:
        return connectors.test_connection(
            session,
            workspace.principal(),
            integration_id,
            secret_box=runtime.secret_box,
            allow_private=True,
        )


class _Quiet:
    async def handle_DATA(self, *_args: Any) -> str:
        return "250 OK"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    port = free_port()
    controller = Controller(_Quiet(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def test_smtp_connects_and_says_hello(app: FastAPI, workspace: Workspace, smtp_port: int) -> None:
    settings = {"host": "127.0.0.1", "use_tls": False, "from_email": "sales@acme-corp.com"}
    ok = make_integration(app, workspace, "smtp", {**settings, "port": smtp_port})
    down = make_integration(app, workspace, "smtp", {**settings, "port": free_port()}, "down")
    assert check(app, workspace, ok).ok
    failed = check(app, workspace, down)
    assert not failed.ok and "failed" in failed.message


def test_mailgun_asks_for_its_domain(app: FastAPI, workspace: Workspace) -> None:
    def answer(received: Received) -> tuple[int, Any]:
        good = "Basic " + base64.b64encode(b"api:key-1").decode()
        if received.headers.get("authorization") != good:
            return 401, {"message": "Invalid private key"}
        return 200, {"domain": {"name": "mg.acme-corp.com"}}

    with http_server(answer) as server:
        settings = {
            "domain": "mg.acme-corp.com",
            "from_email": "sales@acme-corp.com",
            "base_url": server.url,
        }
        ok = make_integration(app, workspace, "mailgun", {**settings, "api_key": "key-1"})
        bad = make_integration(app, workspace, "mailgun", {**settings, "api_key": "key-2"}, "x")
        assert check(app, workspace, ok).ok
        refused = check(app, workspace, bad)
    assert server.received[0].path == "/v3/domains/mg.acme-corp.com"
    assert not refused.ok and "401" in refused.message


def test_slack_webhook_and_facebook(app: FastAPI, workspace: Workspace) -> None:
    def answer(received: Received) -> tuple[int, Any]:
        if received.path.startswith("/me"):
            return 200, {"name": "Acme Page", "id": "1"}
        return 200, "ok"

    with http_server(answer) as server:
        slack = make_integration(app, workspace, "slack", {"webhook_url": f"{server.url}/s"})
        hook = make_integration(app, workspace, "webhook", {"url": f"{server.url}/w"})
        facebook = make_integration(
            app,
            workspace,
            "facebook_lead_ads",
            {
                "page_id": "1",
                "app_secret": "s",
                "verify_token": "v",
                "access_token": "tok",
                "graph_base_url": server.url,
            },
        )
        results = [check(app, workspace, one) for one in (slack, hook, facebook)]
    assert all(result.ok for result in results), results
    assert "Acme Page" in results[2].message
    slack_request, hook_request, me = server.received
    assert slack_request.json() == {"text": "LeadHub: connection test."}
    assert hook_request.json() == {"event": "ping"}
    assert me.path == "/me?access_token=tok"


def test_loopback_is_refused_when_the_node_does_not_allow_it(
    app: FastAPI, workspace: Workspace
) -> None:
    slack = make_integration(app, workspace, "slack", {"webhook_url": "http://127.0.0.1:9/x"})
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work() as session:
        result = connectors.test_connection(
            session,
            workspace.principal(),
            slack,
            secret_box=runtime.secret_box,
            allow_private=False,
        )
    assert not result.ok and "private" in result.message


def test_the_settings_page_tests_the_connection(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    user_id = make_member(db, workspace, "owner@example.com", "owner", "Olivia Owner")
    owner = WebSession(client, user_id, sign_in(client, "owner@example.com"))
    with http_server(lambda _r: (500, "boom")) as server:
        slack = make_integration(app, workspace, "slack", {"webhook_url": server.url})
        page = owner.get(f"/settings/integrations/{slack}").text
        assert f"/settings/integrations/{slack}/test" in page
        answer = owner.post(f"/settings/integrations/{slack}/test")
        assert answer.status_code == 303
        assert answer.headers["location"].endswith(f"/settings/integrations/{slack}")
        shown = owner.get(answer.headers["location"]).text
    assert "The connection failed" in shown and "500" in shown
    google = make_integration(app, workspace, "google_ads_lead_forms", {"webhook_key": "k"})
    page = owner.get(f"/settings/integrations/{google}").text
    assert f"/api/integrations/google/{google}/webhook" in page
    assert f"/settings/integrations/{google}/test" not in page
