"""Every error on the LeadTrackr surface is `{"message": …}`, and every answer is identified."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.domains.leads import service as leads_service
from tests.apiroutes import LEADTRACKR_PREFIX, authenticated_operations
from tests.conftest import BASE_URL
from tests.surfaces.leadtrackr.helpers import (
    BASE,
    CREATE,
    GET_LEAD,
    GET_LEADS,
    UPDATE_STATUS,
    assert_message,
)


def test_an_unknown_path_under_the_surface_is_404(client: TestClient, key: str) -> None:
    for path in (f"{BASE}/deleteLead", "/compat/leadtrackr/api/nothing", "/compat/leadtrackr/"):
        assert_message(client.get(path, headers={"X-API-Key": key}), 404, "Not found")


def test_a_wrong_method_is_405_naming_the_allowed_ones(client: TestClient, key: str) -> None:
    response = client.delete(GET_LEADS, headers={"X-API-Key": key})
    assert_message(response, 405)
    assert response.headers["Allow"] == "GET"
    response = client.get(UPDATE_STATUS, headers={"X-API-Key": key})
    assert_message(response, 405)
    assert response.headers["Allow"] == "POST"


@pytest.mark.parametrize("path", [CREATE, UPDATE_STATUS])
def test_a_body_that_is_not_a_json_object_is_400(
    client: TestClient, headers: dict[str, str], path: str
) -> None:
    for content in (b"{", b"[1, 2]", b'"text"'):
        response = client.post(
            path, content=content, headers={**headers, "Content-Type": "application/json"}
        )
        assert_message(response, 400, "body")


def test_a_validation_error_is_400_naming_the_field(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(UPDATE_STATUS, json={"leadId": "abc"}, headers=headers)
    assert_message(response, 400, "leadId")


@pytest.fixture
def server_client(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(leads_service, "list_leads", explode)
    monkeypatch.setattr(leads_service, "find", explode)
    return TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)


def test_an_unexpected_exception_is_a_500_without_details(
    server_client: TestClient, headers: dict[str, str]
) -> None:
    for path, params in ((GET_LEADS, {}), (GET_LEAD, {"leadId": "1"})):
        response = server_client.get(
            path, params=params, headers={**headers, "X-Request-Id": "trace-me-500-abc"}
        )
        assert response.json() == {"message": "Internal server error"}
        assert response.status_code == 500
        assert "secret internals" not in response.text
        assert response.headers["X-Request-Id"] == "trace-me-500-abc"
        assert response.headers["X-RateLimit-Limit"].isdigit()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", GET_LEADS),
        ("GET", GET_LEAD),
        ("POST", CREATE),
        ("POST", UPDATE_STATUS),
        ("OPTIONS", CREATE),
        ("GET", f"{BASE}/nothing"),
    ],
)
def test_every_answer_has_a_request_id(
    client: TestClient, headers: dict[str, str], method: str, path: str
) -> None:
    for sent in ({}, headers):
        response = client.request(method, path, headers=sent, json={})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers.get("X-Request-Id", "")), (
            method,
            path,
            response.status_code,
        )


def test_every_keyed_route_answers_401_in_leadtrackrs_shape(
    app: FastAPI, client: TestClient
) -> None:
    operations = [
        op for op in authenticated_operations(app) if op.path.startswith(LEADTRACKR_PREFIX)
    ]
    assert len(operations) == 4
    for operation in operations:
        for headers in ({}, {"X-API-Key": "lh_" + "x" * 43}):
            response = client.request(operation.method, operation.path, json={}, headers=headers)
            assert_message(response, 401)
