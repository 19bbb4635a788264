"""The nested /clients/{clientId}/… routes: an agency's key reaches the client only through an
active grant, within both the key's scopes and the grant's permissions; otherwise 403."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from tests.factories import Workspace, make_workspace
from tests.surfaces.leadpanther.helpers import (
    BASE,
    CHECKLIST_BODY,
    IMAGE_UPLOAD,
    assert_error,
    create_magnet,
    create_post,
    draft_post,
    key_headers,
    make_grant,
    revoke,
)

MISSING = "00000000-0000-4000-8000-000000000099"


def nested_requests(
    client: TestClient, db: Database, client_ws: Workspace
) -> list[tuple[str, str, str, Any]]:
    """Every nested route once: (method, path under the client, scope, body)."""
    own = key_headers(db, client_ws)
    magnet_id = create_magnet(client, own)
    post_id = create_post(client, own, magnet_id)
    return [
        ("POST", "/lead-magnets", "lead_magnets:write", CHECKLIST_BODY),
        ("POST", "/media/upload-url", "media:write", IMAGE_UPLOAD),
        ("POST", "/posts", "posts:write", draft_post(magnet_id)),
        ("GET", f"/posts/{post_id}/engagement", "analytics:read", None),
        ("GET", f"/lead-magnets/{magnet_id}/analytics", "analytics:read", None),
        ("GET", "/leads", "leads:read", None),
        ("GET", "/activity", "activity:read", None),
    ]


def call(
    client: TestClient, headers: dict[str, str], client_id: str, method: str, path: str, body: Any
) -> Any:
    url = f"{BASE}/clients/{client_id}{path}"
    return client.request(method, url, json=body, headers=headers)


def test_an_active_grant_with_the_permission_and_scope_admits_every_route(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    requests = nested_requests(client, db, client_ws)
    make_grant(db, agency, client_ws, *{scope for _, _, scope, _ in requests})
    for method, path, scope, body in requests:
        response = call(
            client, key_headers(db, agency, scope), client_ws.public_id, method, path, body
        )
        assert response.status_code in (200, 201), (path, response.text)


def test_a_revoked_grant_is_403_everywhere(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    requests = nested_requests(client, db, client_ws)
    revoke(db, make_grant(db, agency, client_ws))
    headers = key_headers(db, agency)
    for method, path, _, body in requests:
        response = call(client, headers, client_ws.public_id, method, path, body)
        assert_error(response, 403, "forbidden")


def test_a_permission_the_grant_lacks_is_403(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    requests = nested_requests(client, db, client_ws)
    make_grant(db, agency, client_ws, "webhooks:read")
    headers = key_headers(db, agency)  # the key itself may do anything
    for method, path, _, body in requests:
        response = call(client, headers, client_ws.public_id, method, path, body)
        assert_error(response, 403, "forbidden")


def test_a_scope_the_key_lacks_is_403(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    requests = nested_requests(client, db, client_ws)
    make_grant(db, agency, client_ws)  # the grant allows everything
    headers = key_headers(db, agency, "webhooks:read")
    for method, path, _, body in requests:
        response = call(client, headers, client_ws.public_id, method, path, body)
        assert_error(response, 403, "forbidden")


def test_another_agencys_grant_does_not_reach_the_client(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    requests = nested_requests(client, db, client_ws)
    other = make_workspace(db, "other-agency", agency=True)
    make_grant(db, other, client_ws)
    headers = key_headers(db, agency)
    for method, path, _, body in requests:
        response = call(client, headers, client_ws.public_id, method, path, body)
        assert_error(response, 403, "forbidden")


def test_a_non_agency_key_is_403_on_client_routes(
    client: TestClient, db: Database, workspace: Workspace, client_ws: Workspace
) -> None:
    requests = nested_requests(client, db, client_ws)
    headers = key_headers(db, workspace)
    for method, path, _, body in requests:
        response = call(client, headers, client_ws.public_id, method, path, body)
        assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("client_id", [MISSING, "ws_unknown", "client-a"])
def test_an_unknown_client_is_403_like_an_ungranted_one(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace, client_id: str
) -> None:
    make_grant(db, agency, client_ws)
    response = client.get(f"{BASE}/clients/{client_id}/leads", headers=key_headers(db, agency))
    assert_error(response, 403, "forbidden")


def test_the_agencys_own_direct_routes_stay_on_its_workspace(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    client_magnet = create_magnet(client, key_headers(db, client_ws))
    make_grant(db, agency, client_ws)
    headers = key_headers(db, agency)
    direct = f"{BASE}/lead-magnets/{client_magnet}/analytics"
    assert_error(client.get(direct, headers=headers), 404, "not_found")
    nested = f"{BASE}/clients/{client_ws.public_id}/lead-magnets/{client_magnet}/analytics"
    assert client.get(nested, headers=headers).status_code == 200


def test_me_and_clients_have_no_nested_twin(
    client: TestClient, db: Database, agency: Workspace, client_ws: Workspace
) -> None:
    make_grant(db, agency, client_ws)
    headers = key_headers(db, agency)
    for path in ("/me", "/clients"):
        url = f"{BASE}/clients/{client_ws.public_id}{path}"
        assert_error(client.get(url, headers=headers), 404, "not_found")


def test_clients_needs_the_clients_scope(
    client: TestClient, db: Database, agency: Workspace
) -> None:
    response = client.get(f"{BASE}/clients", headers=key_headers(db, agency, "leads:read"))
    assert_error(response, 403, "forbidden")
    user = make_workspace(db, "plain-user")
    empty = client.get(f"{BASE}/clients", headers=key_headers(db, user, "clients:read"))
    assert empty.status_code == 200 and empty.json()["data"] == []
