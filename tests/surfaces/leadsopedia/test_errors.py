"""Every Leadsopedia route answers errors in the surface's `{"message": …}` shape."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.apiroutes import LEADSOPEDIA_PREFIX, authenticated_operations
from tests.factories import Workspace, make_key

BASE = "/compat/leadsopedia/v1"
DOCUMENTED = {
    ("GET", "/mylists"),
    ("GET", "/mylists/{list_id}"),
    ("POST", "/mylists"),
    ("POST", "/mylists/{list_id}"),
    ("DELETE", "/mylists/{list_id}"),
    ("GET", "/contacts"),
    ("GET", "/contacts/{list_id}"),
    ("POST", "/contacts"),
    ("POST", "/contacts/{contact_id}"),
    ("DELETE", "/contacts"),
    ("DELETE", "/contacts/{path_id}"),
    ("GET", "/downloads"),
    ("GET", "/downloads/{download_id}"),
    ("DELETE", "/downloads/{download_id}"),
    ("GET", "/mydownloads"),
    ("GET", "/mydownloads/{download_id}"),
    ("DELETE", "/mydownloads/{download_id}"),
    ("GET", "/account"),
    ("GET", "/account/credits"),
    ("GET", "/account/usage"),
    ("GET", "/account/activity"),
    ("GET", "/account/history"),
}


def leadsopedia_operations(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (op.method, op.path.removeprefix(BASE))
        for op in authenticated_operations(app)
        if op.path.startswith(LEADSOPEDIA_PREFIX)
    ]


def test_every_documented_path_is_routed_and_nothing_else(app: FastAPI) -> None:
    assert set(leadsopedia_operations(app)) == DOCUMENTED


def test_every_route_answers_401_in_the_surfaces_shape(app: FastAPI, client: TestClient) -> None:
    for method, path in leadsopedia_operations(app):
        url = BASE + path.replace("{", "").replace("}", "").replace("list_id", "1")
        url = url.replace("contact_id", "1").replace("path_id", "1").replace("download_id", "1")
        for headers in ({}, {"X-Api-Key": "lh_" + "x" * 43}):
            response = client.request(method, url, json={}, headers=headers)
            assert response.status_code == 401, (method, url, response.text)
            body = response.json()
            assert set(body) == {"message"} and body["message"], (method, url)
            assert response.headers["X-Request-Id"]


def test_unknown_paths_are_404_in_the_surfaces_shape(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    for path in ("/people", "/campaigns", "/lists", "/v2/mylists"):
        response = client.get(BASE + path, headers=headers)
        assert response.status_code == 404, path
        assert set(response.json()) == {"message"}


def test_rate_limit_headers_on_answers_and_errors(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = {"X-Api-Key": make_key(db, workspace)}
    for response in (
        client.get(f"{BASE}/mylists", headers=headers),
        client.get(f"{BASE}/mylists/999", headers=headers),
    ):
        for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            assert name in response.headers
