"""Google Ads click conversions: the token exchange, the documented upload, partial failures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI

from leadhub.integrations import adplatforms
from leadhub.integrations.adplatforms import ConversionEvent
from leadhub.integrations.adplatforms.google_ads import API_VERSION
from leadhub.integrations.errors import ConnectorError
from tests.connectors.conftest import make_integration
from tests.connectors.servers import Received, Switchboard, form_of, path_of, switchboard
from tests.connectors.test_connection import check
from tests.factories import Workspace

KIND = "google_ads_conversions"
ACCESS_TOKEN = "ya29.a0-access-token"
SECRETS = ("dev-token-123", "oauth-client-secret", "1//refresh-token")
UPLOAD = f"/{API_VERSION}/customers/1234567890:uploadClickConversions"
SEARCH = f"/{API_VERSION}/customers/1234567890/googleAds:search"
ACTION = "customers/1234567890/conversionActions/987654321"
EVENT = ConversionEvent(
    event_id="conversion-7-gads",
    occurred_at=datetime(2026, 11, 20, 14, 5, 9, tzinfo=UTC),
    value=Decimal("50.00"),
    currency="EUR",
    gclid="Cj0KCQiA-test-gclid",
    wbraid="wbraid-value",
)
TOKEN_ANSWER = {"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}
# uploadClickConversions' answer when the conversion was accepted.
UPLOADED = {
    "results": [
        {
            "gclid": "Cj0KCQiA-test-gclid",
            "conversionAction": ACTION,
            "conversionDateTime": "2026-11-20 14:05:09+00:00",
        }
    ]
}
# ... and when it was not: HTTP 200 with a partialFailureError and an empty result.
PARTIAL_FAILURE = {
    "partialFailureError": {
        "code": 3,
        "message": "The imported gclid could not be decoded., at conversions[0].gclid",
        "details": [],
    },
    "results": [{}],
}


@pytest.fixture(scope="module")
def board() -> Iterator[Switchboard]:
    with switchboard() as shared:
        yield shared


def config(url: str, **extra: str) -> dict[str, Any]:
    return {
        "customer_id": "123-456-7890",
        "login_customer_id": "111-222-3333",
        "developer_token": SECRETS[0],
        "client_id": "client-id.apps.googleusercontent.com",
        "client_secret": SECRETS[1],
        "refresh_token": SECRETS[2],
        "api_base_url": url,
        "token_url": f"{url}/token",
        **extra,
    }


def google(
    upload: tuple[int, Any] = (200, UPLOADED), token: tuple[int, Any] = (200, TOKEN_ANSWER)
) -> Callable[[Received], tuple[int, Any]]:
    def answer(received: Received) -> tuple[int, Any]:
        if path_of(received) == "/token":
            return token
        if received.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return 401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}}
        if path_of(received) == SEARCH:
            customer = {"resourceName": "customers/1234567890", "id": "1234567890"}
            return 200, {"results": [{"customer": {**customer, "descriptiveName": "Acme BV"}}]}
        return upload

    return answer


def send(url: str, event: ConversionEvent = EVENT, target: str = "987654321", **extra: str) -> str:
    return adplatforms.send(KIND, config(url, **extra), event, target=target, allow_private=True)


def test_a_token_then_the_documented_upload(board: Switchboard) -> None:
    server = board.answering(google())
    answer = send(server.url)
    token_request, upload = server.received
    assert (token_request.method, token_request.path) == ("POST", "/token")
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form_of(token_request) == {
        "grant_type": "refresh_token",
        "client_id": "client-id.apps.googleusercontent.com",
        "client_secret": SECRETS[1],
        "refresh_token": SECRETS[2],
    }
    assert (upload.method, upload.path) == ("POST", UPLOAD)
    assert upload.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert upload.headers["developer-token"] == SECRETS[0]
    assert upload.headers["login-customer-id"] == "1112223333"
    assert upload.headers["content-type"] == "application/json"
    assert upload.json() == {
        "conversions": [
            {
                "gclid": "Cj0KCQiA-test-gclid",
                "conversionAction": ACTION,
                "conversionDateTime": "2026-11-20 14:05:09+00:00",
                "conversionValue": 50.0,
                "currencyCode": "EUR",
                "orderId": "conversion-7-gads",
            }
        ],
        "partialFailure": True,
    }
    assert answer == "Google Ads accepted the conversion."


def test_wbraid_a_resource_name_no_value_and_no_login_customer(board: Switchboard) -> None:
    event = replace(EVENT, gclid=None, value=None)
    other_account = "customers/5555555555/conversionActions/42"
    server = board.answering(google())
    send(server.url, event, target=other_account, login_customer_id="")
    upload = server.received[1]
    assert "login-customer-id" not in upload.headers
    assert upload.json()["conversions"] == [
        {
            "wbraid": "wbraid-value",
            "conversionAction": other_account,
            "conversionDateTime": "2026-11-20 14:05:09+00:00",
            "orderId": "conversion-7-gads",
        }
    ]


def test_a_partial_failure_is_permanent(board: Switchboard) -> None:
    server = board.answering(google(upload=(200, PARTIAL_FAILURE)))
    with pytest.raises(ConnectorError) as raised:
        send(server.url)
    assert raised.value.permanent
    assert "The imported gclid could not be decoded" in raised.value.message


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (503, False), (403, True)])
def test_upload_errors(board: Switchboard, status: int, permanent: bool) -> None:
    refusal = {"error": {"code": status, "message": "Request had insufficient scopes."}}
    server = board.answering(google(upload=(status, refusal)))
    with pytest.raises(ConnectorError) as raised:
        send(server.url)
    assert raised.value.permanent is permanent and str(status) in raised.value.message
    assert not any(secret in raised.value.message for secret in (*SECRETS, ACCESS_TOKEN))


@pytest.mark.parametrize(
    ("token", "permanent"),
    [
        ((400, {"error": "invalid_grant", "error_description": "Bad Request"}), True),
        ((401, {"error": "invalid_client", "error_description": "Unauthorized"}), True),
        ((503, {"error": "backend_error"}), False),
        ((200, {"token_type": "Bearer"}), True),
    ],
)
def test_a_failed_token_exchange_uploads_nothing(
    board: Switchboard, token: tuple[int, Any], permanent: bool
) -> None:
    server = board.answering(google(token=token))
    with pytest.raises(ConnectorError) as raised:
        send(server.url)
    assert raised.value.permanent is permanent and "token" in raised.value.message
    assert not any(secret in raised.value.message for secret in SECRETS)
    assert [path_of(request) for request in server.received] == ["/token"]


def test_a_click_id_is_needed() -> None:
    assert adplatforms.missing(KIND, replace(EVENT, gclid=None)) is None
    assert adplatforms.missing(KIND, replace(EVENT, wbraid=None)) is None
    problem = adplatforms.missing(KIND, replace(EVENT, gclid=None, wbraid=None))
    assert problem is not None and "gclid" in problem


@pytest.mark.parametrize(
    "target", ["123456789", "customers/1234567890/conversionActions/123456789"]
)
def test_valid_conversion_actions(target: str) -> None:
    assert adplatforms.target_problem(KIND, target) is None


@pytest.mark.parametrize(
    "target",
    [
        "",
        "Lead",
        "12345 ",
        "123\n",
        "customers/123/conversionActions/1",
        "customers/1234567890/conversionActions/",
        "customers/1234567890/conversionActions/1/../../x",
        "conversionActions/123",
    ],
)
def test_invalid_conversion_actions(target: str) -> None:
    assert adplatforms.target_problem(KIND, target) is not None


def test_a_malformed_customer_id_is_refused_before_any_request(board: Switchboard) -> None:
    server = board.answering(google())
    with pytest.raises(ConnectorError) as raised:
        send(server.url, customer_id="12345")
    assert raised.value.permanent and server.received == []


def test_the_connection_check_reads_the_customer(
    board: Switchboard, app: FastAPI, workspace: Workspace
) -> None:
    server = board.answering(google())
    ok = make_integration(app, workspace, KIND, config(server.url))
    result = check(app, workspace, ok)
    assert result.ok and result.message == "Connected to Acme BV."
    token_request, search = server.received
    assert path_of(token_request) == "/token"
    assert search.path == SEARCH
    assert search.headers["developer-token"] == SECRETS[0]
    assert search.json() == {
        "query": "SELECT customer.id, customer.descriptive_name FROM customer LIMIT 1"
    }


def test_the_connection_check_reports_a_refused_token(
    board: Switchboard, app: FastAPI, workspace: Workspace
) -> None:
    refused = (400, {"error": "invalid_grant", "error_description": "Token has been revoked."})
    server = board.answering(google(token=refused))
    bad = make_integration(app, workspace, KIND, config(server.url))
    result = check(app, workspace, bad)
    assert not result.ok and "invalid_grant" in result.message
