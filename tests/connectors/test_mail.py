"""SMTP through a real SMTP conversation (aiosmtpd), Mailgun against a local API."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from fastapi import FastAPI

from leadhub.domains.integrations.tasks import SEND_EMAIL
from tests.conftest import free_port
from tests.connectors.conftest import make_integration
from tests.connectors.helpers import last_error, run_job
from tests.connectors.servers import Received, http_server
from tests.factories import Workspace


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.envelopes.append(
            (envelope.mail_from or "", list(envelope.rcpt_tos), message_from_bytes(content))
        )
        return "250 Message accepted for delivery"


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"mailer", b"s3cret")
    return AuthResult(success=ok, handled=ok)  # unhandled: aiosmtpd answers 535


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
        # smtplib tries LOGIN after a refused PLAIN; one refusal is enough here.
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def smtp_settings(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "use_tls": False,
        "from_email": "sales@acme-corp.com",
        **extra,
    }


def test_smtp_delivers_the_message_in_a_real_smtp_conversation(
    app: FastAPI, workspace: Workspace, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    integration_id = make_integration(
        app, workspace, "smtp", smtp_settings(port, username="mailer", password="s3cret")
    )
    payload = {
        "integration_id": integration_id,
        "to": "ann@example.com",
        "subject": "Welcome, Ann",
        "body": "Thanks for your interest.",
    }
    assert run_job(app, workspace, SEND_EMAIL, payload) == "done"
    [(mail_from, rcpt_tos, message)] = handler.envelopes
    assert (mail_from, rcpt_tos) == ("sales@acme-corp.com", ["ann@example.com"])
    assert message["From"] == "sales@acme-corp.com"
    assert message["To"] == "ann@example.com"
    assert message["Subject"] == "Welcome, Ann"
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes) and body.decode().strip() == "Thanks for your interest."


def test_smtp_wrong_password_fails_for_good(
    app: FastAPI, workspace: Workspace, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    integration_id = make_integration(
        app, workspace, "smtp", smtp_settings(port, username="mailer", password="wrong")
    )
    payload = {
        "integration_id": integration_id,
        "to": "ann@example.com",
        "subject": "s",
        "body": "b",
    }
    assert run_job(app, workspace, SEND_EMAIL, payload) == "failed"
    assert handler.envelopes == []
    assert "535" in (last_error(app) or "")


def test_smtp_server_down_is_retried(app: FastAPI, workspace: Workspace) -> None:
    integration_id = make_integration(app, workspace, "smtp", smtp_settings(free_port()))
    payload = {
        "integration_id": integration_id,
        "to": "ann@example.com",
        "subject": "s",
        "body": "b",
    }
    assert run_job(app, workspace, SEND_EMAIL, payload) == "retry"


def _mailgun(received: Received) -> tuple[int, Any]:
    expected = "Basic " + base64.b64encode(b"api:key-123").decode()
    if received.headers.get("authorization") != expected:
        return 401, {"message": "Invalid private key"}
    if received.method == "GET" and received.path == "/v3/domains/mg.acme.test":
        return 200, {"domain": {"name": "mg.acme.test", "state": "active"}}
    if received.method == "POST" and received.path == "/v3/mg.acme.test/messages":
        return 200, {"id": "<20261121.1@mg.acme.test>", "message": "Queued. Thank you."}
    return 404, {"message": "not found"}


def test_mailgun_posts_the_documented_form(app: FastAPI, workspace: Workspace) -> None:
    with http_server(_mailgun) as server:
        integration_id = make_integration(
            app,
            workspace,
            "mailgun",
            {
                "domain": "mg.acme.test",
                "api_key": "key-123",
                "from_email": "sales@acme-corp.com",
                "base_url": server.url,
            },
        )
        payload = {
            "integration_id": integration_id,
            "to": "ann@example.com",
            "subject": "Hello",
            "body": "Plain text body",
        }
        assert run_job(app, workspace, SEND_EMAIL, payload) == "done"
    [request] = server.received
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = {key: values[0] for key, values in parse_qs(request.body.decode()).items()}
    assert form == {
        "from": "sales@acme-corp.com",
        "to": "ann@example.com",
        "subject": "Hello",
        "text": "Plain text body",
    }


def test_mailgun_4xx_fails_for_good_and_5xx_retries(app: FastAPI, workspace: Workspace) -> None:
    answers = iter([(401, {"message": "Invalid private key"}), (503, {"message": "busy"})])
    with http_server(lambda _received: next(answers)) as server:
        integration_id = make_integration(
            app,
            workspace,
            "mailgun",
            {
                "domain": "mg.acme.test",
                "api_key": "key-123",
                "from_email": "sales@acme-corp.com",
                "base_url": server.url,
            },
        )
        payload = {
            "integration_id": integration_id,
            "to": "ann@example.com",
            "subject": "s",
            "body": "b",
        }
        assert run_job(app, workspace, SEND_EMAIL, payload) == "failed"
        assert "401" in (last_error(app) or "")
        assert run_job(app, workspace, SEND_EMAIL, payload) == "retry"
