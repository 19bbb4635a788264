from __future__ import annotations

from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.integrations.catalog import BY_TYPE, TypeName
from leadhub.kit.crypto import SecretBox, SecretUnreadable
from tests.conftest import BASE_URL, node_app
from tests.factories import Workspace, make_key, make_workspace
from tests.surfaces.native.assertions import assert_error, bearer

API = "/api/v1/integrations"
PASSWORD = "smtp-password-1234"
SMTP = {
    "type": "smtp",
    "name": "Office mail",
    "settings": {
        "host": "mail.example.com",
        "username": "robot",
        "password": PASSWORD,
        "from_email": "Sales@Example.com",
    },
}
MAILGUN_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"


def create(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(API, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


def stored(db: Database, integration_id: int) -> tuple[str, str | None]:
    """The settings and secrets columns exactly as the database holds them."""
    with db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT settings, secrets_encrypted FROM integrations WHERE id = :id"),
            {"id": integration_id},
        ).one()
    return str(row[0]), row[1]


def stored_secrets(db: Database, integration_id: int, key: str = "test-secret") -> Any:
    token = stored(db, integration_id)[1]
    assert token is not None
    return SecretBox(key).decrypt_json(token)


# -- types ----------------------------------------------------------------------------------


def test_types_list_every_supported_type_with_its_settings(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(f"{API}/types", headers=headers)
    assert response.status_code == 200
    types = {item["type"]: item for item in response.json()["data"]}
    assert set(types) >= {
        "facebook_lead_ads",
        "google_ads_lead_forms",
        "mailgun",
        "smtp",
        "slack",
        "webhook",
    }
    facebook = {setting["name"]: setting for setting in types["facebook_lead_ads"]["settings"]}
    assert facebook["app_secret"]["kind"] == "secret"
    assert facebook["graph_base_url"] == {
        "name": "graph_base_url",
        "label": "Graph API URL",
        "kind": "url",
        "required": False,
        "default": "https://graph.facebook.com",
    }
    smtp = {setting["name"]: setting for setting in types["smtp"]["settings"]}
    assert (smtp["port"]["kind"], smtp["port"]["default"]) == ("integer", 587)
    assert (smtp["use_tls"]["kind"], smtp["use_tls"]["default"]) == ("boolean", True)
    assert smtp["host"]["required"] is True
    assert types["slack"]["settings"][0]["kind"] == "secret"
    assert all(item["label"] and item["description"] for item in types.values())


def test_the_type_names_accepted_are_the_catalogue() -> None:
    assert set(get_args(TypeName)) == set(BY_TYPE)


# -- create and read ------------------------------------------------------------------------


def test_create_masks_secrets_and_shows_defaults(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = create(client, headers, SMTP)
    assert created["type"] == "smtp"
    assert created["name"] == "Office mail"
    assert created["is_active"] is True
    assert created["secrets_unreadable"] is False
    assert created["settings"] == {
        "host": "mail.example.com",
        "port": 587,
        "username": "robot",
        "password": "••••1234",
        "use_tls": True,
        "from_email": "sales@example.com",
    }
    fetched = client.get(f"{API}/{created['id']}", headers=headers).json()["data"]
    assert fetched == created
    assert PASSWORD not in client.get(API, headers=headers).text


def test_a_short_secret_is_masked_entirely(client: TestClient, headers: dict[str, str]) -> None:
    body = {
        "type": "webhook",
        "settings": {"url": "https://hooks.example/x", "signing_secret": "s"},
    }
    created = create(client, headers, body)
    assert created["settings"] == {"url": "https://hooks.example/x", "signing_secret": "••••"}
    assert created["name"] == "Webhook"
    eleven = create(
        client, headers, {**body, "settings": {**body["settings"], "signing_secret": "a" * 11}}
    )
    assert eleven["settings"]["signing_secret"] == "••••"


def test_secrets_are_encrypted_at_rest(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    body = {
        "type": "mailgun",
        "settings": {"domain": "mg.example.com", "api_key": MAILGUN_KEY, "from_email": "a@b.co"},
    }
    created = create(client, headers, body)
    settings_column, secrets_column = stored(db, created["id"])
    assert secrets_column is not None
    assert MAILGUN_KEY not in settings_column
    assert MAILGUN_KEY not in secrets_column
    assert "mg.example.com" in settings_column
    assert stored_secrets(db, created["id"]) == {"api_key": MAILGUN_KEY}
    with pytest.raises(SecretUnreadable):
        SecretBox("another-secret").decrypt_json(secrets_column)


def test_an_integration_without_secrets_stores_none(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    created = create(client, headers, {"type": "webhook", "settings": {"url": "http://x.example"}})
    assert stored(db, created["id"])[1] is None
    assert created["settings"]["signing_secret"] is None


def test_another_secret_key_cannot_read_the_secrets(
    client: TestClient,
    headers: dict[str, str],
    settings: Settings,
    db: Database,
) -> None:
    created = create(client, headers, SMTP)
    other_settings = settings.model_copy(update={"secret_key": "rotated-secret"})
    other = TestClient(node_app(other_settings, db), base_url=BASE_URL)
    url = f"{API}/{created['id']}"
    shown = other.get(url, headers=headers).json()["data"]
    assert shown["secrets_unreadable"] is True
    assert shown["settings"]["password"] is None
    assert shown["settings"]["host"] == "mail.example.com"
    renamed = other.patch(url, json={"name": "Renamed"}, headers=headers)
    assert renamed.status_code == 200
    assert stored_secrets(db, created["id"]) == {"password": PASSWORD}
    fixed = other.patch(url, json={"settings": {"password": "new-password-5678"}}, headers=headers)
    assert fixed.json()["data"]["secrets_unreadable"] is False
    assert stored_secrets(db, created["id"], "rotated-secret") == {"password": "new-password-5678"}


# -- update ---------------------------------------------------------------------------------


def test_update_merges_settings_and_keeps_omitted_secrets(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    created = create(client, headers, SMTP)
    url = f"{API}/{created['id']}"
    response = client.patch(
        url, json={"settings": {"port": 465, "use_tls": False}, "is_active": False}, headers=headers
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["settings"]["port"], data["settings"]["use_tls"]) == (465, False)
    assert data["settings"]["host"] == "mail.example.com"
    assert data["settings"]["password"] == "••••1234"
    assert data["is_active"] is False
    assert stored_secrets(db, created["id"]) == {"password": PASSWORD}


def test_sending_back_the_mask_keeps_the_secret(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    created = create(client, headers, SMTP)
    body = {"type": "smtp", "name": "Same", "settings": created["settings"]}
    response = client.put(f"{API}/{created['id']}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert stored_secrets(db, created["id"]) == {"password": PASSWORD}


def test_a_mask_is_never_stored_as_a_secret(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    body = {**SMTP, "settings": {**SMTP["settings"], "password": "••••1234"}}
    response = client.post(API, json=body, headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {"settings.password": ["Send the Password itself, not a mask."]}
    created = create(client, headers, SMTP)
    stale = client.patch(
        f"{API}/{created['id']}", json={"settings": {"password": "••••9999"}}, headers=headers
    )
    assert set(assert_error(stale, 422, "VALIDATION_FAILED")["errors"]) == {"settings.password"}
    assert stored_secrets(db, created["id"]) == {"password": PASSWORD}


def test_a_blank_name_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(API, json={**SMTP, "name": "   "}, headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {"name": ["The name field is required."]}
    created = create(client, headers, SMTP)
    renamed = client.patch(f"{API}/{created['id']}", json={"name": " "}, headers=headers)
    assert set(assert_error(renamed, 422, "VALIDATION_FAILED")["errors"]) == {"name"}


def test_a_new_secret_replaces_the_old_and_null_removes_an_optional_one(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    created = create(client, headers, SMTP)
    url = f"{API}/{created['id']}"
    replaced = client.put(
        url, json={"settings": {"password": "brand-new-secret-9999"}}, headers=headers
    )
    assert replaced.json()["data"]["settings"]["password"] == "••••9999"
    assert stored_secrets(db, created["id"]) == {"password": "brand-new-secret-9999"}
    removed = client.patch(
        url, json={"settings": {"password": None, "username": ""}}, headers=headers
    )
    assert removed.status_code == 200
    assert removed.json()["data"]["settings"]["password"] is None
    assert removed.json()["data"]["settings"]["username"] is None
    assert stored(db, created["id"])[1] is None


def test_null_resets_a_setting_to_its_default(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers, {**SMTP, "settings": {**SMTP["settings"], "port": 2525}})
    assert created["settings"]["port"] == 2525
    response = client.patch(
        f"{API}/{created['id']}", json={"settings": {"port": None}}, headers=headers
    )
    assert response.json()["data"]["settings"]["port"] == 587


def test_a_required_setting_cannot_be_removed(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers, SMTP)
    response = client.patch(
        f"{API}/{created['id']}", json={"settings": {"host": None}}, headers=headers
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"settings.host": ["The Host setting is required."]}


def test_the_type_cannot_change(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers, SMTP)
    url = f"{API}/{created['id']}"
    response = client.patch(url, json={"type": "mailgun"}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"type": ["The type of an integration cannot change."]}
    assert client.patch(url, json={"type": "smtp"}, headers=headers).status_code == 200


def test_null_name_or_activity_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers, SMTP)
    url = f"{API}/{created['id']}"
    for field in ("type", "name", "settings", "is_active"):
        response = client.patch(url, json={field: None}, headers=headers)
        assert set(assert_error(response, 422, "VALIDATION_FAILED")["errors"]) == {field}


# -- validation -----------------------------------------------------------------------------


def test_required_settings_must_be_present_on_create(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(API, json={"type": "facebook_lead_ads", "settings": {}}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert set(body["errors"]) == {
        "settings.page_id",
        "settings.app_secret",
        "settings.verify_token",
        "settings.access_token",
    }
    no_settings = client.post(API, json={"type": "slack"}, headers=headers)
    assert assert_error(no_settings, 422, "VALIDATION_FAILED")["errors"] == {
        "settings.webhook_url": ["The Incoming webhook URL setting is required."]
    }


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("port", "587", "The Port setting must be an integer."),
        ("port", True, "The Port setting must be an integer."),
        ("port", 0, "The Port setting must be between 1 and 65535."),
        ("port", 70000, "The Port setting must be between 1 and 65535."),
        ("use_tls", "yes", "The Use TLS setting must be true or false."),
        ("from_email", "not-an-email", "The From address setting must be a valid email address."),
        ("host", 12, "The Host setting must be a string."),
        ("host", "x" * 501, "The Host setting must not be greater than 500 characters."),
        ("password", ["a"], "The Password setting must be a string."),
        ("colour", "blue", "SMTP integrations have no colour setting."),
    ],
)
def test_setting_values_are_checked_against_their_kind(
    client: TestClient, headers: dict[str, str], setting: str, value: Any, message: str
) -> None:
    body = {**SMTP, "settings": {**SMTP["settings"], setting: value}}
    response = client.post(API, json=body, headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {f"settings.{setting}": [message]}


def test_url_settings_must_be_http_or_https(client: TestClient, headers: dict[str, str]) -> None:
    for url in ("ftp://files.example", "not a url", "javascript:alert(1)"):
        response = client.post(
            API, json={"type": "webhook", "settings": {"url": url}}, headers=headers
        )
        errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
        assert errors == {"settings.url": ["The URL setting must be an http or https URL."]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "carrier_pigeon", "settings": {}}, "type"),
        ({"settings": {}}, "type"),
        ({**SMTP, "owner": "me"}, "owner"),
        ({**SMTP, "settings": "host=x"}, "settings"),
        ({**SMTP, "is_active": "yes"}, "is_active"),
        ({**SMTP, "name": ""}, "name"),
    ],
)
def test_the_body_is_validated_strictly(
    client: TestClient, headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = client.post(API, json=body, headers=headers)
    assert set(assert_error(response, 422, "VALIDATION_FAILED")["errors"]) == {field}


# -- delete, isolation, scopes, pagination --------------------------------------------------


def test_delete_an_integration(client: TestClient, headers: dict[str, str]) -> None:
    created = create(client, headers, SMTP)
    assert client.delete(f"{API}/{created['id']}", headers=headers).status_code == 204
    assert_error(client.get(f"{API}/{created['id']}", headers=headers), 404, "NOT_FOUND")


def test_an_integration_in_use_by_an_automation_cannot_be_deleted(
    client: TestClient, headers: dict[str, str]
) -> None:
    slack = create(
        client,
        headers,
        {"type": "slack", "settings": {"webhook_url": "https://hooks.slack.com/services/T/B/X"}},
    )
    automation = client.post(
        "/api/v1/automations",
        json={
            "name": "Tell the team",
            "trigger": "lead_created",
            "actions": [
                {"type": "post_to_slack", "message": "New lead", "integration_id": slack["id"]}
            ],
        },
        headers=headers,
    ).json()["data"]
    response = client.delete(f"{API}/{slack['id']}", headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {
        "id": [f"The integration is used by automation(s) {automation['id']}; change them first."]
    }
    client.delete(f"/api/v1/automations/{automation['id']}", headers=headers)
    assert client.delete(f"{API}/{slack['id']}", headers=headers).status_code == 204


def test_another_workspace_cannot_reach_an_integration(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    created = create(client, headers, SMTP)
    other = bearer(make_key(db, make_workspace(db, "other")))
    url = f"{API}/{created['id']}"
    assert_error(client.get(url, headers=other), 404, "NOT_FOUND")
    assert_error(client.put(url, json={"name": "x"}, headers=other), 404, "NOT_FOUND")
    assert_error(client.patch(url, json={"name": "x"}, headers=other), 404, "NOT_FOUND")
    assert_error(client.delete(url, headers=other), 404, "NOT_FOUND")
    assert client.get(API, headers=other).json()["meta"]["total"] == 0
    assert client.get(url, headers=headers).json()["data"]["name"] == "Office mail"


def test_scopes_read_and_write_integrations(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    created = create(client, headers, SMTP)
    url = f"{API}/{created['id']}"
    reader = bearer(make_key(db, workspace, scopes=["read:integrations"]))
    assert client.get(API, headers=reader).status_code == 200
    assert client.get(f"{API}/types", headers=reader).status_code == 200
    assert client.get(url, headers=reader).status_code == 200
    assert_error(client.post(API, json=SMTP, headers=reader), 403, "FORBIDDEN")
    assert_error(client.patch(url, json={"name": "x"}, headers=reader), 403, "FORBIDDEN")
    assert_error(client.delete(url, headers=reader), 403, "FORBIDDEN")
    stranger = bearer(make_key(db, workspace, scopes=["read:leads"]))
    assert_error(client.get(f"{API}/types", headers=stranger), 403, "FORBIDDEN")
    assert_error(client.get(API, headers={}), 401, "UNAUTHORIZED")
    writer = bearer(make_key(db, workspace, scopes=["integrations:write"]))
    assert client.patch(url, json={"name": "x"}, headers=writer).status_code == 200
    assert client.delete(url, headers=writer).status_code == 204


def test_integrations_are_paginated(client: TestClient, headers: dict[str, str]) -> None:
    for index in range(3):
        create(client, headers, {**SMTP, "name": f"Mail {index}"})
    page = client.get(f"{API}?per_page=2&page=2", headers=headers).json()
    assert [item["name"] for item in page["data"]] == ["Mail 2"]
    assert page["meta"] == {
        "current_page": 2,
        "last_page": 2,
        "per_page": 2,
        "total": 3,
        "from": 3,
        "to": 3,
    }
    assert page["links"]["prev"] == f"{BASE_URL}{API}?per_page=2&page=1"
    assert page["links"]["next"] is None


def test_every_integration_route_lists_its_scopes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        ("get", f"{API}/types"): "read:integrations",
        ("get", API): "read:integrations",
        ("post", API): "write:integrations",
        ("get", f"{API}/{{integration_id}}"): "read:integrations",
        ("put", f"{API}/{{integration_id}}"): "write:integrations",
        ("patch", f"{API}/{{integration_id}}"): "write:integrations",
        ("delete", f"{API}/{{integration_id}}"): "delete:integrations",
    }
    for (method, path), scope in expected.items():
        assert paths[path][method]["x-required-scopes"] == [scope], (method, path)
