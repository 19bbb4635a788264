"""Hourly budgets per API key: headers on every authenticated response, 429 past the limit,
one budget per key, and one budget across server processes when they share Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.kit.tokens import sha256_hex
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_key, make_workspace
from tests.surfaces.native.assertions import assert_error, assert_rate_limit_headers, bearer

LEADS = "/api/v1/leads"
HOUR = 3600


def assert_reset_within_the_hour(reset: str) -> None:
    now = time.time()
    assert now < int(reset) <= now + HOUR + 1, reset


# -- headers ------------------------------------------------------------------------------------


def test_a_success_carries_the_rate_limit_headers(client: TestClient, key: str) -> None:
    response = client.get(LEADS, headers=bearer(key))
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "1000"
    assert response.headers["X-RateLimit-Remaining"] == "999"
    assert_reset_within_the_hour(response.headers["X-RateLimit-Reset"])


def test_the_reset_is_a_unix_timestamp_in_the_future(client: TestClient, key: str) -> None:
    reset = client.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Reset"]
    assert reset.isdigit()
    assert_reset_within_the_hour(reset)


def test_the_reset_stays_put_within_a_window(client: TestClient, key: str) -> None:
    first = client.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Reset"]
    second = client.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Reset"]
    assert first == second


def test_each_request_spends_one_of_the_budget(client: TestClient, key: str) -> None:
    remaining = [
        int(client.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Remaining"])
        for _ in range(3)
    ]
    assert remaining == [999, 998, 997]


def test_a_create_carries_the_rate_limit_headers(client: TestClient, key: str) -> None:
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert response.status_code == 201
    assert_rate_limit_headers(response)


def test_a_delete_without_body_carries_the_rate_limit_headers(client: TestClient, key: str) -> None:
    lead_id = client.post(LEADS, json={"first_name": "S"}, headers=bearer(key)).json()["data"]["id"]
    response = client.delete(f"{LEADS}/{lead_id}", headers=bearer(key))
    assert response.status_code == 204
    assert_rate_limit_headers(response)


def test_a_404_carries_the_rate_limit_headers(client: TestClient, key: str) -> None:
    response = client.get(f"{LEADS}/999999", headers=bearer(key))
    assert_error(response, 404, "NOT_FOUND")
    assert_rate_limit_headers(response)
    assert response.headers["X-RateLimit-Remaining"] == "999"


def test_a_422_carries_the_rate_limit_headers(client: TestClient, key: str) -> None:
    response = client.post(LEADS, json={"last_name": "no first name"}, headers=bearer(key))
    assert_error(response, 422, "VALIDATION_FAILED")
    assert_rate_limit_headers(response)


def test_a_query_validation_422_carries_the_rate_limit_headers(
    client: TestClient, key: str
) -> None:
    response = client.get(LEADS, params={"per_page": "abc"}, headers=bearer(key))
    assert_error(response, 422, "VALIDATION_FAILED")
    assert_rate_limit_headers(response)


def test_a_403_carries_the_rate_limit_headers(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads"])
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert_error(response, 403, "FORBIDDEN")
    assert_rate_limit_headers(response)


def test_a_forbidden_request_spends_the_budget(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads"], rate_limit=10)
    client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    response = client.get(LEADS, headers=bearer(key))
    assert response.headers["X-RateLimit-Remaining"] == "8"


def test_an_inbound_intake_carries_the_rate_limit_headers(
    client: TestClient, key: str, workspace: Workspace
) -> None:
    for tenant, status in ((workspace.slug, 201), ("someone-else", 403)):
        response = client.post(
            "/api/inbound/leads",
            params={"tenant": tenant},
            json={"email": "a@x.com"},
            headers=bearer(key),
        )
        assert response.status_code == status
        assert_rate_limit_headers(response)


def test_an_unauthenticated_request_spends_no_budget(client: TestClient, key: str) -> None:
    client.get(LEADS)
    client.get(LEADS, headers=bearer("lh_unknown"))
    client.get("/api/v1/health")
    assert client.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Remaining"] == "999"


def test_the_limit_header_is_the_keys_own_limit(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=50)
    response = client.get(LEADS, headers=bearer(key))
    assert response.headers["X-RateLimit-Limit"] == "50"
    assert response.headers["X-RateLimit-Remaining"] == "49"


# -- the limit ----------------------------------------------------------------------------------


def test_the_request_past_the_limit_is_429_with_retry_after(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=3)
    answers = [client.get(LEADS, headers=bearer(key)) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0"]
    limited = client.get(LEADS, headers=bearer(key))
    assert_error(limited, 429, "RATE_LIMITED")
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert_reset_within_the_hour(limited.headers["X-RateLimit-Reset"])
    retry_after = limited.headers["Retry-After"]
    assert retry_after.isdigit() and 1 <= int(retry_after) <= HOUR
    assert int(retry_after) >= int(limited.headers["X-RateLimit-Reset"]) - time.time() - 2
    assert limited.headers["X-Request-Id"]


def test_a_limited_key_stays_limited_for_every_route(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=1)
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    assert_error(client.get(LEADS, headers=bearer(key)), 429, "RATE_LIMITED")
    created = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert_error(created, 429, "RATE_LIMITED")
    intake = client.post(
        "/api/inbound/leads?tenant=acme", json={"email": "a@x.com"}, headers={"X-Api-Key": key}
    )
    assert_error(intake, 429, "RATE_LIMITED")


def test_a_limited_request_does_nothing(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=1)
    assert client.get(LEADS, headers=bearer(key)).json()["meta"]["total"] == 0
    created = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert created.status_code == 429
    reader = make_key(db, workspace)
    assert client.get(LEADS, headers=bearer(reader)).json()["meta"]["total"] == 0


def test_the_health_check_is_never_limited(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=1)
    for _ in range(3):
        response = client.get("/api/v1/health", headers=bearer(key))
        assert response.status_code == 200


def test_budgets_are_per_key(client: TestClient, db: Database, workspace: Workspace) -> None:
    spent = make_key(db, workspace, rate_limit=2)
    fresh = make_key(db, workspace, rate_limit=2)
    for _ in range(2):
        client.get(LEADS, headers=bearer(spent))
    assert client.get(LEADS, headers=bearer(spent)).status_code == 429
    response = client.get(LEADS, headers=bearer(fresh))
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Remaining"] == "1"


def test_budgets_are_per_key_across_workspaces(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    ours = make_key(db, workspace, rate_limit=1)
    theirs = make_key(db, make_workspace(db, "globex"), rate_limit=1)
    assert client.get(LEADS, headers=bearer(ours)).status_code == 200
    assert client.get(LEADS, headers=bearer(ours)).status_code == 429
    assert client.get(LEADS, headers=bearer(theirs)).status_code == 200


def test_both_headers_spend_the_same_budget(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=2)
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    assert client.get(LEADS, headers={"X-Api-Key": key}).status_code == 200
    assert client.get(LEADS, headers={"X-Api-Key": key}).status_code == 429


# -- Redis: one budget for every server process ------------------------------------------------


@pytest.fixture
def redis_node_settings(
    redis_url: str, database_url: str, tmp_path: Path
) -> Iterator[list[Settings]]:
    """Settings of two nodes sharing the test database and Redis."""
    yield [
        Settings(
            data_dir=tmp_path / f"node{number}",
            database_url=database_url,
            base_url=BASE_URL,
            secret_key="test-secret",
            redis_url=redis_url,
            # Its own job queue: other tests' workers consume from the same Redis database.
            queue_name=f"leadhub-test-{tmp_path.name}",
        )
        for number in (1, 2)
    ]


def forget_budget(redis_url: str, key: str) -> None:
    connection = redis.Redis.from_url(redis_url)
    try:
        for name in connection.scan_iter(match=f"*{sha256_hex(key)[:24]}*"):
            connection.delete(name)
    finally:
        connection.close()


def test_two_server_processes_on_one_redis_share_a_keys_budget(
    redis_node_settings: list[Settings], redis_url: str, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, rate_limit=3)
    first_settings, second_settings = redis_node_settings
    try:
        with (
            TestClient(create_app(first_settings), base_url=BASE_URL) as first,
            TestClient(create_app(second_settings), base_url=BASE_URL) as second,
        ):
            assert first.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Remaining"] == "2"
            assert second.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Remaining"] == "1"
            assert first.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Remaining"] == "0"
            assert_error(second.get(LEADS, headers=bearer(key)), 429, "RATE_LIMITED")
            limited = first.get(LEADS, headers=bearer(key))
            assert_error(limited, 429, "RATE_LIMITED")
            assert limited.headers["Retry-After"].isdigit()
    finally:
        forget_budget(redis_url, key)


def test_keys_on_one_redis_keep_their_own_budgets(
    redis_node_settings: list[Settings], redis_url: str, db: Database, workspace: Workspace
) -> None:
    spent = make_key(db, workspace, rate_limit=1)
    fresh = make_key(db, workspace, rate_limit=1)
    try:
        with TestClient(create_app(redis_node_settings[0]), base_url=BASE_URL) as node:
            assert node.get(LEADS, headers=bearer(spent)).status_code == 200
            assert node.get(LEADS, headers=bearer(spent)).status_code == 429
            assert node.get(LEADS, headers=bearer(fresh)).status_code == 200
    finally:
        forget_budget(redis_url, spent)
        forget_budget(redis_url, fresh)
