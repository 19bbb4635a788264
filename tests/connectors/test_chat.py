"""Slack incoming webhooks and plain webhooks, against local receivers."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import FastAPI

from leadhub.domains.integrations.tasks import CALL_WEBHOOK, POST_TO_SLACK
from leadhub.integrations import http
from leadhub.integrations.errors import ConnectorError
from tests.connectors.conftest import make_integration
from tests.connectors.helpers import run_job
from tests.connectors.servers import http_server
from tests.factories import Workspace


def test_slack_posts_the_text_to_the_incoming_webhook(app: FastAPI, workspace: Workspace) -> None:
    with http_server(lambda _r: (200, "ok")) as server:
        hook = f"{server.url}/services/T000/B000/XXXX"
        integration_id = make_integration(app, workspace, "slack", {"webhook_url": hook})
        payload = {"integration_id": integration_id, "message": "New lead: Ann"}
        assert run_job(app, workspace, POST_TO_SLACK, payload) == "done"
    [request] = server.received
    assert (request.method, request.path) == ("POST", "/services/T000/B000/XXXX")
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"text": "New lead: Ann"}


def test_slack_404_fails_for_good(app: FastAPI, workspace: Workspace) -> None:
    with http_server(lambda _r: (404, "no_service")) as server:
        integration_id = make_integration(app, workspace, "slack", {"webhook_url": server.url})
        payload = {"integration_id": integration_id, "message": "x"}
        assert run_job(app, workspace, POST_TO_SLACK, payload) == "failed"


def test_a_webhook_integration_is_called_and_signed(app: FastAPI, workspace: Workspace) -> None:
    with http_server(lambda _r: (200, {})) as server:
        integration_id = make_integration(
            app, workspace, "webhook", {"url": f"{server.url}/hook", "signing_secret": "whsec"}
        )
        payload = {"integration_id": integration_id, "payload": {"lead_id": 7}}
        assert run_job(app, workspace, CALL_WEBHOOK, payload) == "done"
        assert run_job(app, workspace, CALL_WEBHOOK, {"url": server.url, "payload": [1]}) == "done"
    signed, plain = server.received
    assert signed.json() == {"lead_id": 7} and plain.json() == [1]
    stamp, digest = (
        part.split("=", 1)[1] for part in signed.headers["x-leadhub-signature"].split(",")
    )
    expected = hmac.new(b"whsec", f"{stamp}.".encode() + signed.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(digest, expected)
    assert "x-leadhub-signature" not in plain.headers


def test_a_webhook_5xx_is_retried(app: FastAPI, workspace: Workspace) -> None:
    with http_server(lambda _r: (502, {})) as server:
        assert run_job(app, workspace, CALL_WEBHOOK, {"url": server.url, "payload": {}}) == "retry"


def test_private_targets_are_refused_unless_allowed() -> None:
    for url in ("http://127.0.0.1:9/", "http://10.0.0.1/", "http://[::1]/", "ftp://example.com/"):
        try:
            http.check_target(url, allow_private=False)
        except ConnectorError as exc:
            assert exc.permanent
        else:  # pragma: no cover
            raise AssertionError(f"{url} was allowed")
    http.check_target("http://127.0.0.1:9/", allow_private=True)
