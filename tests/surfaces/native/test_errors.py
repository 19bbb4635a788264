"""Every error of the native API answers the seed's envelope, with readable per-field messages
and never a trace."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.domains.leads import service as leads_service
from leadhub.kit.types import MAX_ID
from tests.conftest import BASE_URL
from tests.surfaces.native.assertions import assert_error, assert_rate_limit_headers, bearer

LEADS = "/api/v1/leads"
INBOUND = "/api/inbound/leads"


# -- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/leads/1/nothing", "/api/v2/leads", "/api/nothing"]
)
def test_an_unknown_route_under_api_is_a_404_envelope(
    client: TestClient, headers: dict[str, str], path: str
) -> None:
    body = assert_error(client.get(path, headers=headers), 404, "NOT_FOUND")
    assert body["errors"] == {}


def test_an_unknown_route_is_a_404_envelope_without_a_key(client: TestClient) -> None:
    assert_error(client.post("/api/v1/nothing-here", json={}), 404, "NOT_FOUND")


def test_an_unknown_record_is_a_404_envelope(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(f"{LEADS}/424242", headers=headers)
    assert_error(response, 404, "NOT_FOUND")


def test_a_wrong_method_is_a_405_envelope(client: TestClient, headers: dict[str, str]) -> None:
    response = client.put(LEADS, json={}, headers=headers)
    body = assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert body["errors"] == {}


def test_a_405_names_the_allowed_methods(client: TestClient, headers: dict[str, str]) -> None:
    response = client.delete(LEADS, headers=headers)
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    assert "DELETE" not in allowed


def test_a_wrong_method_on_the_intake_is_a_405_envelope(client: TestClient) -> None:
    assert_error(client.get(INBOUND, params={"tenant": "acme"}), 405, "METHOD_NOT_ALLOWED")


# -- unexpected exceptions ----------------------------------------------------------------------


@pytest.fixture
def failing_get(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("boom secret")

    monkeypatch.setattr(leads_service, "get", explode)


@pytest.fixture
def server_client(app: FastAPI) -> TestClient:
    """A client that answers what a real server would send, instead of re-raising errors."""
    return TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)


@pytest.mark.usefixtures("failing_get")
def test_an_unexpected_exception_is_a_500_envelope_without_details(
    server_client: TestClient, headers: dict[str, str]
) -> None:
    response = server_client.get(f"{LEADS}/1", headers=headers)
    body = assert_error(response, 500, "SERVER_ERROR")
    assert body["errors"] == {}
    for leak in ("boom", "secret", "Traceback", "RuntimeError", "explode", ".py"):
        assert leak not in response.text, leak


@pytest.mark.usefixtures("failing_get")
def test_a_500_keeps_the_request_id_and_rate_limit_headers(
    server_client: TestClient, headers: dict[str, str]
) -> None:
    response = server_client.get(
        f"{LEADS}/1", headers={**headers, "X-Request-Id": "trace-me-500-abc"}
    )
    assert response.status_code == 500
    assert response.headers["X-Request-Id"] == "trace-me-500-abc"
    assert_rate_limit_headers(response)


@pytest.mark.usefixtures("failing_get")
def test_a_500_is_logged_with_its_request_id_and_trace(
    server_client: TestClient, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="leadhub"):
        response = server_client.get(f"{LEADS}/1", headers=headers)
    request_id = response.headers["X-Request-Id"]
    logged = [record for record in caplog.records if request_id in record.getMessage()]
    assert logged, [record.getMessage() for record in caplog.records]
    exc_info = logged[0].exc_info
    assert exc_info is not None and isinstance(exc_info[1], RuntimeError)
    assert "boom secret" in str(exc_info[1])


@pytest.mark.usefixtures("failing_get")
def test_the_api_answers_normally_after_a_500(
    server_client: TestClient, headers: dict[str, str]
) -> None:
    assert server_client.get(f"{LEADS}/1", headers=headers).status_code == 500
    assert server_client.get(LEADS, headers=headers).status_code == 200


# -- request validation -------------------------------------------------------------------------


def test_a_bad_query_parameter_is_a_422_with_a_message_for_that_field(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(LEADS, params={"per_page": "abc"}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["message"] == "The given data was invalid."
    assert body["errors"] == {"per_page": ["The per page field must be an integer."]}


def test_every_bad_query_parameter_gets_its_own_message(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(LEADS, params={"page": "0", "per_page": "abc"}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert set(body["errors"]) == {"page", "per_page"}
    assert body["errors"]["page"] == ["The page field must be at least 1."]


def test_a_bad_boolean_query_parameter_is_a_422(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(LEADS, params={"starred": "maybe"}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"starred": ["The starred field must be true or false."]}


def test_a_bad_path_parameter_is_a_422_for_that_parameter(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(f"{LEADS}/abc", headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"lead_id": ["The lead id field must be an integer."]}


def test_a_too_large_id_is_a_422_not_a_server_error(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(f"{LEADS}/{MAX_ID + 1}", headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert list(body["errors"]) == ["lead_id"]


def test_a_body_that_is_not_json_is_a_422_for_the_body(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        INBOUND,
        params={"tenant": "acme"},
        content=b'{"email": ',
        headers={**headers, "Content-Type": "application/json"},
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"body": ["The request body must be valid JSON."]}


def test_a_body_that_is_not_an_object_is_a_422_for_the_body(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(INBOUND, params={"tenant": "acme"}, json=["a"], headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert list(body["errors"]) == ["body"]


def test_a_missing_body_is_a_422_for_the_body(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(INBOUND, params={"tenant": "acme"}, headers=headers)
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"body": ["The request body is required."]}


def test_a_field_of_the_wrong_type_is_a_422_for_that_field(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        INBOUND, params={"tenant": "acme"}, json={"email": "a@x.com", "tags": "x"}, headers=headers
    )
    body = assert_error(response, 422, "VALIDATION_FAILED")
    assert body["errors"] == {"tags": ["The tags field must be an array."]}


def test_a_too_long_text_is_measured_in_characters(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = {"email": "a@x.com", "company": "é" * 201}
    response = client.post(INBOUND, params={"tenant": "acme"}, json=body, headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {"company": ["The company field must not be greater than 200 characters."]}


def test_a_too_long_list_is_measured_in_items(client: TestClient, headers: dict[str, str]) -> None:
    body = {"email": "a@x.com", "tags": [f"t{number}" for number in range(101)]}
    response = client.post(INBOUND, params={"tenant": "acme"}, json=body, headers=headers)
    errors = assert_error(response, 422, "VALIDATION_FAILED")["errors"]
    assert errors == {"tags": ["The tags field must not have more than 100 items."]}


def test_a_bad_key_beats_a_bad_request(client: TestClient) -> None:
    response = client.get(LEADS, params={"per_page": "abc"}, headers=bearer("lh_unknown"))
    assert_error(response, 401, "UNAUTHORIZED")
