"""Secrets at rest: after passwords, keys, upload URLs and integration and webhook secrets are made
through the real paths (the command line, the API, the web app), no column of any table holds one
in plain text. Passwords are argon2 hashes, keys SHA-256 digests (256 random bits each), upload
URLs are signed and not stored at all, and integration and webhook secrets are Fernet ciphertext
that only the node's secret key opens. The session cookie, which is signed but readable, never
carries a new key or secret in plain text either."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from leadhub.auth.passwords import verify_password
from leadhub.db.uow import Database
from leadhub.kit.crypto import SecretBox, SecretUnreadable
from leadhub.kit.tokens import sha256_hex
from leadhub.models import ApiKey, Integration, User, Webhook
from tests.cli.test_bootstrap import Cli, cli
from tests.conftest import BASE_URL
from tests.media.samples import ask, sample
from tests.media.test_uploads import put
from tests.web.conftest import WebSession, csrf_of, sign_in

__all__ = ["cli"]
NODE_SECRET = "test-secret"  # the test app's LEADHUB_SECRET_KEY
CLI_PASSWORD = "cli-password-6c1f0e7d"
API_PASSWORD = "api-password-2b94aa10"
WEB_PASSWORD = "web-password-91d3e5c2"
WRONG_PASSWORD = "wrong-password-5e0b7f33"
FACEBOOK = {
    "page_id": "1234567890",
    "app_secret": "fb-app-secret-0d5c2a9e",
    "verify_token": "fb-verify-token-7a13c0d4",
    "access_token": "fb-access-token-e8b62f51",
}
SMTP_PASSWORD = "smtp-password-3f70c9a2"
WEBHOOK_SECRET = "whsec-api-secret-4c8e1b7d0a9f"
SLACK_URL = "https://hooks.slack.com/services/T0001/B0001/slacksecret9f8e7d6c"
PUBLIC_TARGET = "https://93.184.216.34/hooks/leadhub"


def cells(db: Database) -> Iterator[tuple[str, str, str]]:
    """(table, column, value as text) for every value of every table in the database."""
    with db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            result = connection.exec_driver_sql(f'SELECT * FROM "{table}"')
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield table, column, _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def where_stored(db: Database, secrets: list[str]) -> list[tuple[str, str, str]]:
    return [
        (table, column, secret)
        for table, column, value in cells(db)
        for secret in secrets
        if secret in value
    ]


def session_payload(cookie: str) -> str:
    """The JSON inside a signed session cookie (`base64(json).timestamp.signature`)."""
    data = cookie.split("=", 1)[1].split(";", 1)[0].strip('"').split(".", 1)[0]
    return base64.b64decode(data + "=" * (-len(data) % 4)).decode()


def web_owner(client: TestClient) -> WebSession:
    return WebSession(client, 0, sign_in(client, "owner@vault.example", CLI_PASSWORD))


def test_no_secret_is_stored_in_plain_text(cli: Cli, client: TestClient, db: Database) -> None:
    cli("workspace", "create", "vault").value()
    cli(
        "user",
        "create",
        "--workspace",
        "vault",
        "--email",
        "owner@vault.example",
        "--password",
        CLI_PASSWORD,
    ).value()
    cli_key = cli("apikey", "create", "--workspace", "vault").value()
    api = {"Authorization": f"Bearer {cli_key}"}

    # The API: a user with a password, integrations and a webhook with secrets, an upload URL.
    made = [
        client.post(
            "/api/v1/users",
            json={"name": "Api", "email": "api@vault.example", "password": API_PASSWORD},
            headers=api,
        ),
        client.post(
            "/api/v1/integrations",
            json={"type": "facebook_lead_ads", "name": "FB", "settings": FACEBOOK},
            headers=api,
        ),
        client.post(
            "/api/v1/integrations",
            json={
                "type": "smtp",
                "settings": {
                    "host": "smtp.example.com",
                    "username": "mailer",
                    "password": SMTP_PASSWORD,
                    "from_email": "sales@vault.example",
                },
            },
            headers=api,
        ),
        client.post(
            "/api/v1/webhooks",
            json={"url": PUBLIC_TARGET, "secret": WEBHOOK_SECRET},
            headers=api,
        ),
    ]
    assert [answer.status_code for answer in made] == [201] * 4, [a.text for a in made]
    ticket = ask(client, api)
    assert put(client, ticket, sample("image/png")).status_code == 201

    # The web app: a failed sign-in, then a user, a key, a webhook and an integration.
    browser = TestClient(client.app, base_url=BASE_URL)
    token = csrf_of(browser.get("/login").text)
    failed = browser.post(
        "/login",
        data={"email": "owner@vault.example", "password": WRONG_PASSWORD, "csrf_token": token},
    )
    assert failed.status_code == 401
    owner = web_owner(browser)
    cookies: list[str] = []
    answers = [
        owner.post(
            "/settings/users",
            {
                "name": "Web",
                "email": "web@vault.example",
                "password": WEB_PASSWORD,
                "role": "member",
            },
        ),
        owner.post(
            "/settings/api-keys",
            {"name": "zapier", "scopes": ["read:leads"], "rate_limit": "1000"},
        ),
    ]
    cookies.append(answers[-1].headers["set-cookie"])
    keys_page = owner.get("/settings/api-keys").text
    web_key = re.search(r'id="new-key-value">(lh_[^<]+)<', keys_page)
    assert web_key, "the new key is not shown"
    answers.append(owner.post("/webhooks", {"url": PUBLIC_TARGET, "events": "*"}))
    cookies.append(answers[-1].headers["set-cookie"])
    shown = owner.get(answers[-1].headers["location"]).text
    web_secret = re.search(r"shown only this once: ([A-Za-z0-9_\-]+)", shown)
    assert web_secret, "the new webhook secret is not shown"
    answers.append(
        owner.post(
            "/settings/integrations",
            {"type": "slack", "name": "Slack", "settings.webhook_url": SLACK_URL},
        )
    )
    assert [answer.status_code for answer in answers] == [303] * 4

    passwords = [CLI_PASSWORD, API_PASSWORD, WEB_PASSWORD, WRONG_PASSWORD]
    keys = [cli_key, web_key.group(1)]
    upload = [ticket["token"], ticket["token"].rsplit(".", 1)[-1]]
    secrets = [
        *[FACEBOOK[name] for name in ("app_secret", "verify_token", "access_token")],
        SMTP_PASSWORD,
        WEBHOOK_SECRET,
        web_secret.group(1),
        SLACK_URL,
    ]
    assert where_stored(db, passwords + keys + upload + secrets) == []
    for cookie in cookies:
        payload = session_payload(cookie)
        assert payload.startswith("{") and "csrf" in payload
        assert keys[1] not in payload and web_secret.group(1) not in payload

    # What is stored instead: hashes, digests, and ciphertext only the node's key opens.
    with db.unit_of_work(write=False) as session:
        hashes = session.scalars(select(User.password_hash)).all()
        assert len(hashes) == 3 and all(h and h.startswith("$argon2id$") for h in hashes)
        assert any(verify_password(CLI_PASSWORD, h or "") for h in hashes)
        digests = set(session.scalars(select(ApiKey.key_hash)))
        assert digests == {sha256_hex(key) for key in keys}
        integrations = {row.name: row for row in session.scalars(select(Integration))}
        hooks = list(session.scalars(select(Webhook)))
    opened = SecretBox(NODE_SECRET).decrypt_json(integrations["FB"].secrets_encrypted or "")
    assert opened == {
        name: FACEBOOK[name] for name in ("app_secret", "verify_token", "access_token")
    }
    assert integrations["FB"].settings == {"page_id": "1234567890"}
    for row in integrations.values():
        assert_only_the_node_opens(row.secrets_encrypted or "")
    assert {SecretBox(NODE_SECRET).decrypt_json(h.secret_encrypted) for h in hooks} == {
        WEBHOOK_SECRET,
        web_secret.group(1),
    }
    for hook in hooks:
        assert_only_the_node_opens(hook.secret_encrypted)


def assert_only_the_node_opens(token: str) -> None:
    assert token.startswith("gAAAAA"), "not a Fernet token"
    SecretBox(NODE_SECRET).decrypt_json(token)
    for box in (SecretBox("another-secret"), SecretBox(NODE_SECRET, purpose="another-purpose")):
        with pytest.raises(SecretUnreadable):
            box.decrypt_json(token)
