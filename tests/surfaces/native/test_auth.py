"""Authentication of the native API: the health check is open, every other route needs a live key
in either header, scopes are enforced, and every response is identified."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.kit.tokens import sha256_hex
from leadhub.models import ApiKey, Lead
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.apiroutes import authenticated_operations, native_operations
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.native.assertions import assert_error, bearer

LEADS = "/api/v1/leads"
INBOUND = "/api/inbound/leads?tenant=acme"


def set_key_column(db: Database, key: str, **values: object) -> None:
    with db.unit_of_work() as session:
        session.execute(update(ApiKey).where(ApiKey.key_hash == sha256_hex(key)).values(**values))


# -- the health check ---------------------------------------------------------------------------


def test_health_needs_no_key_and_answers_status_version_and_utc_timestamp(
    client: TestClient,
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    response = client.get("/api/v1/health")
    after = datetime.now(UTC)
    assert response.status_code == 200
    body = response.json()
    # the seed's fields, and how the database and the job queue answer (test_health.py)
    assert set(body) == {"status", "version", "timestamp", "database", "queue"}
    assert body["status"] == "ok"
    assert body["version"] == "1.0.0"
    # the seed's shape: "2026-03-28T09:15:00+00:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", body["timestamp"])
    moment = datetime.fromisoformat(body["timestamp"])
    assert moment.utcoffset() == timedelta(0), body["timestamp"]
    assert before <= moment <= after


def test_health_answers_503_when_the_database_does_not_answer(
    settings: Settings, tmp_path: Path
) -> None:
    broken = Database(f"sqlite:///{tmp_path / 'missing-dir' / 'leadhub.db'}")
    runtime = Runtime(settings=settings, db=broken, limiter=RateLimiter())
    try:
        response = TestClient(create_app(settings, runtime=runtime)).get("/api/v1/health")
    finally:
        broken.dispose()
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["version"]) == ("error", "1.0.0")
    assert datetime.fromisoformat(body["timestamp"]).utcoffset() == timedelta(0)


def test_health_ignores_an_invalid_key(client: TestClient) -> None:
    response = client.get("/api/v1/health", headers=bearer("lh_not-a-key"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


# -- no key, wrong key, dead key ----------------------------------------------------------------


def test_every_route_but_health_answers_401_without_a_key(app: FastAPI, client: TestClient) -> None:
    operations = native_operations(authenticated_operations(app))
    assert any(op.path == LEADS for op in operations)
    assert any(op.path == "/api/inbound/leads" for op in operations)
    for operation in operations:
        response = client.request(
            operation.method, operation.example_path(), params={"tenant": "acme"}, json={}
        )
        assert response.status_code == 401, f"{operation}: {response.status_code} {response.text}"
        assert_error(response, 401, "UNAUTHORIZED")


def test_every_route_but_health_answers_401_with_an_unknown_key(
    app: FastAPI, client: TestClient, workspace: Workspace
) -> None:
    for operation in native_operations(authenticated_operations(app)):
        response = client.request(
            operation.method,
            operation.example_path(),
            params={"tenant": workspace.slug},
            json={},
            headers=bearer("lh_" + "x" * 43),
        )
        assert response.status_code == 401, f"{operation}: {response.status_code} {response.text}"
        assert_error(response, 401, "UNAUTHORIZED")


def test_an_unknown_key_in_x_api_key_is_401(client: TestClient, workspace: Workspace) -> None:
    assert_error(client.get(LEADS, headers={"X-Api-Key": "lh_wrong"}), 401, "UNAUTHORIZED")


def test_a_key_with_an_extra_character_is_401(client: TestClient, key: str) -> None:
    assert_error(client.get(LEADS, headers=bearer(key + "x")), 401, "UNAUTHORIZED")


def test_an_empty_bearer_token_is_401(client: TestClient, key: str) -> None:
    assert_error(client.get(LEADS, headers={"Authorization": "Bearer "}), 401, "UNAUTHORIZED")


def test_a_key_under_another_auth_scheme_is_401(client: TestClient, key: str) -> None:
    response = client.get(LEADS, headers={"Authorization": f"Basic {key}"})
    assert_error(response, 401, "UNAUTHORIZED")


def test_a_revoked_key_is_401(client: TestClient, db: Database, key: str) -> None:
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    set_key_column(db, key, revoked_at=datetime.now(UTC))
    assert_error(client.get(LEADS, headers=bearer(key)), 401, "UNAUTHORIZED")
    assert_error(client.get(LEADS, headers={"X-Api-Key": key}), 401, "UNAUTHORIZED")
    response = client.post(INBOUND, json={"email": "a@x.com"}, headers=bearer(key))
    assert_error(response, 401, "UNAUTHORIZED")


def test_an_expired_key_is_401(client: TestClient, db: Database, key: str) -> None:
    set_key_column(db, key, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert_error(client.get(LEADS, headers=bearer(key)), 401, "UNAUTHORIZED")


def test_a_key_expiring_later_still_works(client: TestClient, db: Database, key: str) -> None:
    set_key_column(db, key, expires_at=datetime.now(UTC) + timedelta(hours=1))
    assert client.get(LEADS, headers=bearer(key)).status_code == 200


def test_a_rejected_write_changes_nothing(
    client: TestClient, db: Database, workspace: Workspace, key: str
) -> None:
    set_key_column(db, key, revoked_at=datetime.now(UTC))
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert response.status_code == 401
    with db.unit_of_work(write=False) as session:
        assert session.scalars(select(Lead)).all() == []


# -- both headers -------------------------------------------------------------------------------


def test_a_key_works_as_a_bearer_token(client: TestClient, key: str) -> None:
    response = client.get(LEADS, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == []


def test_a_key_works_in_the_x_api_key_header(
    client: TestClient, db: Database, workspace: Workspace, key: str
) -> None:
    lead_id = make_lead(db, workspace, first_name="Sarah")
    response = client.get(f"{LEADS}/{lead_id}", headers={"X-Api-Key": key})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["first_name"] == "Sarah"


def test_a_key_in_x_api_key_may_write(client: TestClient, key: str) -> None:
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers={"X-Api-Key": key})
    assert response.status_code == 201, response.text


def test_a_key_authenticates_the_inbound_intake_in_either_header(
    client: TestClient, key: str
) -> None:
    first = client.post(INBOUND, json={"email": "a@x.com"}, headers=bearer(key))
    second = client.post(INBOUND, json={"email": "b@x.com"}, headers={"X-Api-Key": key})
    assert (first.status_code, second.status_code) == (201, 201)


def test_a_key_reaches_only_its_own_workspace(
    client: TestClient, db: Database, workspace: Workspace, key: str
) -> None:
    other = make_workspace(db, "globex")
    theirs = make_lead(db, other, first_name="Theirs", email="theirs@x.com")
    listed = client.get(LEADS, headers=bearer(key)).json()
    assert listed["data"] == []
    assert_error(client.get(f"{LEADS}/{theirs}", headers=bearer(key)), 404, "NOT_FOUND")


# -- scopes -------------------------------------------------------------------------------------


def test_a_read_only_key_may_read(client: TestClient, db: Database, workspace: Workspace) -> None:
    key = make_key(db, workspace, scopes=["read:leads"])
    assert client.get(LEADS, headers=bearer(key)).status_code == 200


def test_a_read_only_key_may_not_write_and_nothing_is_written(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads"])
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert_error(response, 403, "FORBIDDEN")
    assert "write:leads" in response.json()["message"]
    assert client.get(LEADS, headers=bearer(key)).json()["meta"]["total"] == 0


def test_a_write_only_key_may_not_read(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["write:leads"])
    assert_error(client.get(LEADS, headers=bearer(key)), 403, "FORBIDDEN")


def test_a_key_without_delete_leads_may_not_delete_a_lead(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:leads", "write:leads"])
    lead_id = make_lead(db, workspace)
    assert_error(client.delete(f"{LEADS}/{lead_id}", headers=bearer(key)), 403, "FORBIDDEN")
    assert client.get(f"{LEADS}/{lead_id}", headers=bearer(key)).status_code == 200


def test_a_key_for_another_resource_is_forbidden(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["read:tags", "write:tags", "delete:tags"])
    assert_error(client.get(LEADS, headers=bearer(key)), 403, "FORBIDDEN")


def test_the_leadpanther_spelling_of_a_scope_is_the_same_scope(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["leads:read"])
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    assert_error(
        client.post(LEADS, json={"first_name": "S"}, headers=bearer(key)), 403, "FORBIDDEN"
    )


def test_the_star_scope_allows_every_route(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["*"])
    make_lead(db, workspace, first_name="Sarah")
    for operation in authenticated_operations(app):
        response = client.request(
            operation.method,
            operation.example_path(),
            params={"tenant": workspace.slug},
            json={},
            headers=bearer(key),
        )
        assert response.status_code not in (401, 403), f"{operation}: {response.text}"


def test_the_star_scope_reads_writes_and_deletes_leads(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace, scopes=["*"])
    created = client.post(LEADS, json={"first_name": "Sarah"}, headers=bearer(key))
    assert created.status_code == 201
    lead_id = created.json()["data"]["id"]
    assert client.get(f"{LEADS}/{lead_id}", headers=bearer(key)).status_code == 200
    assert client.patch(f"{LEADS}/{lead_id}", json={}, headers=bearer(key)).status_code == 200
    assert client.delete(f"{LEADS}/{lead_id}", headers=bearer(key)).status_code == 204
    inbound = client.post(INBOUND, json={"email": "a@x.com"}, headers=bearer(key))
    assert inbound.status_code == 201


# -- request ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/health", LEADS, "/api/v1/leads/999999", "/api/v1/nowhere", "/openapi.json", "/docs"],
)
def test_every_response_has_a_request_id(client: TestClient, key: str, path: str) -> None:
    for headers in ({}, bearer(key)):
        response = client.get(path, headers=headers)
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers.get("X-Request-Id", "")), (
            path,
            response.status_code,
            dict(response.headers),
        )


def test_every_response_gets_its_own_request_id(client: TestClient) -> None:
    ids = {client.get("/api/v1/health").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3


def test_an_error_response_has_a_request_id(client: TestClient) -> None:
    response = client.get(LEADS)
    assert response.status_code == 401
    assert response.headers["X-Request-Id"]


def test_a_sane_incoming_request_id_is_echoed(client: TestClient, key: str) -> None:
    incoming = "req-2026.03.28:abc_DEF-123"
    for path, headers in (("/api/v1/health", {}), (LEADS, bearer(key)), (LEADS, {})):
        response = client.get(path, headers={**headers, "X-Request-Id": incoming})
        assert response.headers["X-Request-Id"] == incoming, (path, response.status_code)


@pytest.mark.parametrize(
    "incoming",
    ["short", "has spaces in it", "x" * 129, "semi;colon;header", "<script>alert(1)</script>"],
)
def test_an_insane_incoming_request_id_is_replaced(client: TestClient, incoming: str) -> None:
    response = client.get("/api/v1/health", headers={"X-Request-Id": incoming})
    assert response.headers["X-Request-Id"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])


# -- last use -----------------------------------------------------------------------------------


def last_used_at(db: Database, key: str) -> datetime | None:
    with db.unit_of_work(write=False) as session:
        return session.scalar(select(ApiKey.last_used_at).where(ApiKey.key_hash == sha256_hex(key)))


def test_a_new_key_has_not_been_used(db: Database, key: str) -> None:
    assert last_used_at(db, key) is None


def test_a_request_records_when_the_key_was_last_used(
    client: TestClient, db: Database, key: str
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    used = last_used_at(db, key)
    assert used is not None
    assert before <= used <= datetime.now(UTC) + timedelta(seconds=1)


def test_a_stale_last_use_is_brought_up_to_date(client: TestClient, db: Database, key: str) -> None:
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    set_key_column(db, key, last_used_at=long_ago)
    assert client.get(LEADS, headers={"X-Api-Key": key}).status_code == 200
    used = last_used_at(db, key)
    assert used is not None and used > datetime.now(UTC) - timedelta(minutes=1)


def test_an_unknown_key_records_no_use(client: TestClient, db: Database, key: str) -> None:
    client.get(LEADS, headers=bearer(key + "x"))
    assert last_used_at(db, key) is None
