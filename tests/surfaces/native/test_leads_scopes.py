"""Native API: which scopes each lead route needs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_key, make_lead
from tests.surfaces.native.lead_helpers import (
    LEADS,
    assert_error,
    bearer,
    count_leads,
    get_lead,
    listed_ids,
)

# Every route that writes, with a body that would change something.
WRITE_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("PUT", "/{id}", {"first_name": "Changed"}),
    ("PATCH", "/{id}", {"first_name": "Changed"}),
    ("POST", "/{id}/tags", {"tag": "new"}),
    ("DELETE", "/{id}/tags/vip", None),
]


@pytest.fixture
def lead_id(db: Database, workspace: Workspace) -> int:
    return make_lead(db, workspace, first_name="Sarah", tags=["vip"])


def _headers_with(db: Database, workspace: Workspace, *scopes: str) -> dict[str, str]:
    return bearer(make_key(db, workspace, scopes=list(scopes)))


@pytest.mark.parametrize(("method", "path", "body"), WRITE_ROUTES)
def test_read_only_key_cannot_change_a_lead(
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    lead_id: int,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    before = get_lead(client, headers, lead_id)
    read_only = _headers_with(db, workspace, "read:leads")
    response = client.request(method, LEADS + path.format(id=lead_id), json=body, headers=read_only)
    assert_error(response, 403, "FORBIDDEN")
    assert get_lead(client, headers, lead_id) == before


def test_read_only_key_cannot_create_a_lead(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    read_only = _headers_with(db, workspace, "read:leads")
    response = client.post(LEADS, json={"first_name": "Sarah"}, headers=read_only)
    assert_error(response, 403, "FORBIDDEN")
    assert count_leads(db, workspace) == 0


def test_read_only_key_cannot_delete_a_lead(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    read_only = _headers_with(db, workspace, "read:leads")
    assert_error(client.delete(f"{LEADS}/{lead_id}", headers=read_only), 403, "FORBIDDEN")
    assert count_leads(db, workspace) == 1


def test_read_only_key_can_list_and_get(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    read_only = _headers_with(db, workspace, "read:leads")
    assert listed_ids(client.get(LEADS, headers=read_only)) == [lead_id]
    assert client.get(f"{LEADS}/{lead_id}", headers=read_only).status_code == 200


def test_leadpanther_spelling_leads_read_works_as_read_leads(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    panther = _headers_with(db, workspace, "leads:read")
    assert listed_ids(client.get(LEADS, headers=panther)) == [lead_id]
    assert client.get(f"{LEADS}/{lead_id}", headers=panther).status_code == 200
    response = client.post(LEADS, json={"first_name": "B"}, headers=panther)
    assert_error(response, 403, "FORBIDDEN")


def test_leadpanther_spelling_leads_write_works_as_write_leads(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    panther = _headers_with(db, workspace, "leads:write")
    assert client.post(LEADS, json={"first_name": "B"}, headers=panther).status_code == 201


def test_write_key_can_create_update_and_tag(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    writer = _headers_with(db, workspace, "write:leads")
    assert client.post(LEADS, json={"first_name": "B"}, headers=writer).status_code == 201
    assert client.patch(f"{LEADS}/{lead_id}", json={}, headers=writer).status_code == 200
    assert client.put(f"{LEADS}/{lead_id}", json={}, headers=writer).status_code == 200
    tagged = client.post(f"{LEADS}/{lead_id}/tags", json={"tag": "x"}, headers=writer)
    assert tagged.status_code == 200
    assert client.delete(f"{LEADS}/{lead_id}/tags/x", headers=writer).status_code == 200


def test_write_leads_alone_cannot_delete_a_lead(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    writer = _headers_with(db, workspace, "read:leads", "write:leads")
    assert_error(client.delete(f"{LEADS}/{lead_id}", headers=writer), 403, "FORBIDDEN")
    assert count_leads(db, workspace) == 1


def test_delete_leads_scope_can_delete_a_lead(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    deleter = _headers_with(db, workspace, "delete:leads")
    assert client.delete(f"{LEADS}/{lead_id}", headers=deleter).status_code == 204
    assert count_leads(db, workspace) == 0


def test_other_resource_scopes_do_not_reach_leads(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    other = _headers_with(db, workspace, "read:pipelines", "write:tags", "delete:forms")
    assert_error(client.get(LEADS, headers=other), 403, "FORBIDDEN")
    assert_error(client.post(LEADS, json={"first_name": "B"}, headers=other), 403, "FORBIDDEN")


def test_wildcard_scope_allows_every_lead_route(
    client: TestClient, db: Database, workspace: Workspace, lead_id: int
) -> None:
    everything = _headers_with(db, workspace, "*")
    assert client.get(LEADS, headers=everything).status_code == 200
    assert client.delete(f"{LEADS}/{lead_id}", headers=everything).status_code == 204


def test_forbidden_answer_carries_rate_limit_headers(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    read_only = _headers_with(db, workspace, "read:leads")
    response = client.post(LEADS, json={"first_name": "B"}, headers=read_only)
    assert response.status_code == 403
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert name in response.headers


def test_missing_key_is_401(client: TestClient, db: Database) -> None:
    assert_error(client.get(LEADS), 401, "UNAUTHORIZED")
    assert_error(client.post(LEADS, json={"first_name": "A"}), 401, "UNAUTHORIZED")


def test_unknown_key_is_401(client: TestClient, db: Database) -> None:
    assert_error(client.get(LEADS, headers=bearer("lh_nope")), 401, "UNAUTHORIZED")


def test_key_in_x_api_key_header_works(
    client: TestClient, db: Database, workspace: Workspace, key: str, lead_id: int
) -> None:
    assert listed_ids(client.get(LEADS, headers={"X-Api-Key": key})) == [lead_id]
