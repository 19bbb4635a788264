"""A revoked or expired key is refused (401, in the surface's own envelope) on every route that
takes a key, from the very next request: in this process, and through a running
`leadhub serve` when the key is revoked from the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from leadhub.kit.clock import utcnow
from leadhub.kit.tokens import sha256_hex
from leadhub.models import AgencyGrant, ApiKey
from tests.conftest import BASE_URL, LEADHUB_COMMAND, empty_database
from tests.factories import Workspace, make_key, make_workspace
from tests.isolation.routes import (
    API_SURFACES,
    LEADPANTHER,
    NATIVE,
    Operation,
    served_operations,
)
from tests.isolation.world import build_app
from tests.web.conftest import WebSession, make_member, sign_in

KEYED = [op for op in served_operations() if op.surface in API_SURFACES and op.keyed]
# One cheap read per surface: what a client calls next.
EACH_SURFACE = {
    NATIVE: "/api/v1/me",
    LEADPANTHER: "/compat/leadpanther/api/v1/me",
    "leadsopedia": "/compat/leadsopedia/v1/account",
    "leadtrackr": "/compat/leadtrackr/api/leads/getLeads",
}
_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class DeadKeys:
    client: TestClient
    workspace: Workspace
    revoked: str
    expired: str
    agency_revoked: str


def set_expiry(db: Database, key: str, seconds_from_now: float) -> None:
    with db.unit_of_work() as session:
        session.execute(
            update(ApiKey)
            .where(ApiKey.key_hash == sha256_hex(key))
            .values(expires_at=utcnow() + timedelta(seconds=seconds_from_now))
        )


def revoke(db: Database, key: str) -> None:
    with db.unit_of_work() as session:
        session.execute(
            update(ApiKey).where(ApiKey.key_hash == sha256_hex(key)).values(revoked_at=utcnow())
        )


@pytest.fixture(scope="module")
def dead_keys(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeadKeys]:
    """Keys that worked once, then were revoked or expired; shared by the module's tests."""
    empty_database(db)
    client = TestClient(build_app(db, tmp_path_factory.mktemp("dead")), base_url=BASE_URL)
    workspace = make_workspace(db, "dead-keys")
    agency = make_workspace(db, "dead-agency", agency=True)
    with db.unit_of_work() as session:
        grants.create(session, agency_slug=agency.slug, client_slug=workspace.slug)
    keys = [make_key(db, workspace), make_key(db, workspace), make_key(db, agency)]
    for key in keys:
        assert client.get("/api/v1/me", headers=bearer(key)).status_code == 200
    revoked, expired, agency_revoked = keys
    revoke(db, revoked)
    set_expiry(db, expired, -1)
    revoke(db, agency_revoked)
    yield DeadKeys(client, workspace, revoked, expired, agency_revoked)
    empty_database(db)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def example_path(operation: Operation, client_id: str) -> str:
    return _PARAMETER.sub(
        lambda found: client_id if found.group(1) == "client_id" else "1", operation.path
    )


def assert_unauthorized(surface: str, response: httpx.Response) -> None:
    assert response.status_code == 401, (response.status_code, response.text)
    body = response.json()
    if surface == NATIVE:
        assert body["code"] == "UNAUTHORIZED" and body["status"] == "error", body
    elif surface == LEADPANTHER:
        assert body["error"]["code"] == "unauthorized" and body["request_id"], body
    else:
        assert isinstance(body["message"], str), body


@pytest.mark.parametrize("operation", KEYED, ids=str)
def test_a_revoked_or_expired_key_is_refused_on_every_keyed_route(
    dead_keys: DeadKeys, operation: Operation
) -> None:
    path = example_path(operation, dead_keys.workspace.public_id)
    keys = [dead_keys.agency_revoked] if operation.twin else [dead_keys.revoked, dead_keys.expired]
    for key in keys:
        for headers in (bearer(key), {"X-Api-Key": key}):
            response = dead_keys.client.request(operation.method, path, headers=headers, json={})
            assert_unauthorized(operation.surface, response)


def test_every_api_route_but_the_open_ones_takes_a_key() -> None:
    """The open API routes are few and known; any other one must authenticate."""
    open_routes = {
        str(op) for op in served_operations() if op.surface in API_SURFACES and not op.keyed
    }
    assert open_routes == {
        "GET /api/v1/health",
        "POST /compat/leadtrackr/api/leads/createLead",
    }


# -- the very next request ------------------------------------------------------------------


@pytest.fixture
def web_owner(client: TestClient, db: Database, workspace: Workspace) -> WebSession:
    user_id = make_member(db, workspace, "owner@acme.example", "owner")
    return WebSession(client, user_id, sign_in(client, "owner@acme.example"))


def test_a_key_revoked_in_the_settings_is_refused_on_the_next_request(
    client: TestClient, db: Database, workspace: Workspace, web_owner: WebSession
) -> None:
    key = make_key(db, workspace)
    for path in EACH_SURFACE.values():
        assert client.get(path, headers=bearer(key)).status_code == 200, path
    with db.unit_of_work(write=False) as session:
        key_id = session.scalar(select(ApiKey.id).where(ApiKey.key_hash == sha256_hex(key)))
    revoked = web_owner.post(f"/settings/api-keys/{key_id}/revoke")
    assert revoked.status_code == 303, revoked.text
    for surface, path in EACH_SURFACE.items():
        assert_unauthorized(surface, client.get(path, headers=bearer(key)))


def test_a_key_is_refused_from_the_moment_it_expires(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    key = make_key(db, workspace)
    set_expiry(db, key, 3600)
    assert client.get("/api/v1/me", headers=bearer(key)).status_code == 200
    set_expiry(db, key, -0.001)
    for surface, path in EACH_SURFACE.items():
        assert_unauthorized(surface, client.get(path, headers=bearer(key)))


# -- across processes: a running `leadhub serve` ---------------------------------------------


def leadhub(database_url: str, data_dir: Path, *args: str) -> str:
    """Run the real `leadhub` command on the test database; its last line of stdout."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    env.update(LEADHUB_DATABASE_URL=database_url, LEADHUB_DATA_DIR=str(data_dir))
    done = subprocess.run(
        [LEADHUB_COMMAND, *args], check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_a_key_revoked_from_the_command_line_is_refused_by_a_running_server(
    live_server: str, live_database_url: str, live_db: Database, tmp_path: Path
) -> None:
    key = make_key(live_db, make_workspace(live_db, "live-keys"))
    with httpx.Client(base_url=live_server, trust_env=False) as server:
        for path in EACH_SURFACE.values():
            assert server.get(path, headers=bearer(key)).status_code == 200, path
        assert leadhub(live_database_url, tmp_path, "apikey", "revoke", key) == key[:11]
        for surface, path in EACH_SURFACE.items():
            assert_unauthorized(surface, server.get(path, headers=bearer(key)))


@pytest.mark.slow
def test_a_key_revoked_by_its_prefix_is_refused_by_a_running_server(
    live_server: str, live_database_url: str, live_db: Database, tmp_path: Path
) -> None:
    workspace = make_workspace(live_db, "live-prefix")
    key = make_key(live_db, workspace)
    with httpx.Client(base_url=live_server, trust_env=False) as server:
        assert server.get("/api/v1/me", headers=bearer(key)).status_code == 200
        leadhub(live_database_url, tmp_path, "apikey", "revoke", key[:11])
        assert_unauthorized(NATIVE, server.get("/api/v1/me", headers=bearer(key)))


@pytest.mark.slow
def test_an_expired_key_is_refused_by_a_running_server(live_server: str, live_db: Database) -> None:
    key = make_key(live_db, make_workspace(live_db, "live-expiry"))
    with httpx.Client(base_url=live_server, trust_env=False) as server:
        assert server.get("/api/v1/me", headers=bearer(key)).status_code == 200
        set_expiry(live_db, key, -0.001)
        for surface, path in EACH_SURFACE.items():
            assert_unauthorized(surface, server.get(path, headers=bearer(key)))


def test_a_grant_revoked_from_the_command_line_ends_the_agency_s_reach_at_once(
    live_server: str, live_database_url: str, live_db: Database, tmp_path: Path
) -> None:
    client = make_workspace(live_db, "live-client")
    agency = make_workspace(live_db, "live-agency", agency=True)
    with live_db.unit_of_work() as session:
        grant_id = str(grants.create(session, agency_slug=agency.slug, client_slug=client.slug).id)
    key = make_key(live_db, agency)
    twins = [
        f"/api/v1/clients/{client.public_id}/leads",
        f"/compat/leadpanther/api/v1/clients/{client.public_id}/leads",
    ]
    with httpx.Client(base_url=live_server, trust_env=False) as server:
        for path in twins:
            assert server.get(path, headers=bearer(key)).status_code == 200, path
        leadhub(live_database_url, tmp_path, "grant", "revoke", grant_id)
        for path in twins:
            refused = server.get(path, headers=bearer(key))
            assert refused.status_code == 403, refused.text
            assert "no active grant" in json.dumps(refused.json())
    with live_db.unit_of_work(write=False) as session:
        assert session.get(AgencyGrant, int(grant_id)).status == "revoked"  # type: ignore[union-attr]
