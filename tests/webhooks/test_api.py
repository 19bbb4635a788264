"""/api/v1/webhooks: CRUD, validation, scopes, and private targets refused at save time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_workspace

API = "/api/v1/webhooks"
PUBLIC = "https://93.184.216.34/hooks/leadhub"


def test_create_answers_the_secret_once_then_masks_it(
    client: TestClient, headers: dict[str, str]
) -> None:
    created = client.post(API, json={"url": PUBLIC, "events": ["lead_created"]}, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert data["secret"].startswith("whsec_") and len(data["secret"]) > 30
    assert data["events"] == ["lead_created"] and data["is_active"] is True
    shown = client.get(f"{API}/{data['id']}", headers=headers).json()["data"]
    assert shown["secret"] == "••••"
    listed = client.get(API, headers=headers).json()
    assert [hook["id"] for hook in listed["data"]] == [data["id"]]
    assert listed["data"][0]["secret"] == "••••"


def test_a_given_secret_is_kept_and_events_default_to_all(
    client: TestClient, headers: dict[str, str]
) -> None:
    secret = "my-own-secret-of-enough-length"
    created = client.post(API, json={"url": PUBLIC, "secret": secret}, headers=headers).json()
    assert created["data"]["secret"] == secret
    assert created["data"]["events"] == ["*"]


def test_update_and_delete(client: TestClient, headers: dict[str, str]) -> None:
    hook_id = client.post(API, json={"url": PUBLIC}, headers=headers).json()["data"]["id"]
    changed = client.patch(
        f"{API}/{hook_id}",
        json={"events": ["tag_added", "tag_removed"], "is_active": False, "description": "CRM"},
        headers=headers,
    )
    assert changed.status_code == 200
    data = changed.json()["data"]
    assert (data["events"], data["is_active"], data["description"]) == (
        ["tag_added", "tag_removed"],
        False,
        "CRM",
    )
    assert client.delete(f"{API}/{hook_id}", headers=headers).status_code == 204
    assert client.get(f"{API}/{hook_id}", headers=headers).status_code == 404


def test_unknown_events_and_bad_urls_are_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    bad_event = client.post(API, json={"url": PUBLIC, "events": ["lead_eaten"]}, headers=headers)
    assert bad_event.status_code == 422 and "events" in bad_event.json()["errors"]
    no_events = client.post(API, json={"url": PUBLIC, "events": []}, headers=headers)
    assert no_events.status_code == 422 and "events" in no_events.json()["errors"]
    ftp = client.post(API, json={"url": "ftp://93.184.216.34/x"}, headers=headers)
    assert ftp.status_code == 422 and "url" in ftp.json()["errors"]
    short = client.post(API, json={"url": PUBLIC, "secret": "short"}, headers=headers)
    assert short.status_code == 422 and "secret" in short.json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/hook",
        "http://192.168.1.20/hook",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_private_targets_are_refused_unless_allowed(
    client: TestClient, headers: dict[str, str], url: str
) -> None:
    response = client.post(API, json={"url": url}, headers=headers)
    assert response.status_code == 422, response.text
    assert "private or reserved" in response.json()["errors"]["url"][0]
    hook_id = client.post(API, json={"url": PUBLIC}, headers=headers).json()["data"]["id"]
    assert client.patch(f"{API}/{hook_id}", json={"url": url}, headers=headers).status_code == 422


def test_private_targets_are_allowed_by_the_setting(
    private_client: TestClient, headers: dict[str, str]
) -> None:
    response = private_client.post(API, json={"url": "http://127.0.0.1:9/h"}, headers=headers)
    assert response.status_code == 201


def test_scopes_and_workspaces(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    hook_id = client.post(API, json={"url": PUBLIC}, headers=headers).json()["data"]["id"]
    reader = {"X-Api-Key": make_key(db, workspace, scopes=["read:webhooks"])}
    assert client.get(API, headers=reader).status_code == 200
    assert client.post(API, json={"url": PUBLIC}, headers=reader).status_code == 403
    assert client.delete(f"{API}/{hook_id}", headers=reader).status_code == 403
    writer = {"X-Api-Key": make_key(db, workspace, scopes=["write:webhooks"])}
    assert client.delete(f"{API}/{hook_id}", headers=writer).status_code == 204
    other = {"X-Api-Key": make_key(db, make_workspace(db, "other"))}
    kept = client.post(API, json={"url": PUBLIC}, headers=headers).json()["data"]["id"]
    assert client.get(f"{API}/{kept}", headers=other).status_code == 404
    assert client.get(f"{API}/{kept}/deliveries", headers=other).status_code == 404
