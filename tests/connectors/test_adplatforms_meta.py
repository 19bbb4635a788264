"""Meta Conversions API: the documented CRM event with hashed user data, its answers, the check."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI

from leadhub.integrations import adplatforms
from leadhub.integrations.adplatforms import ConversionEvent
from leadhub.integrations.errors import ConnectorError
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION
from tests.connectors.conftest import make_integration
from tests.connectors.servers import Received, Switchboard, path_of, query_of, switchboard
from tests.connectors.test_connection import check
from tests.factories import Workspace

KIND = "meta_conversions_api"
TOKEN = "EAAB-secret-token"
OCCURRED = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
EVENT = ConversionEvent(
    event_id="conversion-7-meta",
    occurred_at=OCCURRED,
    value=Decimal("50.00"),
    currency="EUR",
    email=" John.Doe@Example.COM ",
    phone="+31 (6) 1234-5678",
    first_name=" Jöhn. ",
    last_name="O'Brien-Smith",
    external_id="42",
    ip_address="203.0.113.7",
    user_agent="Mozilla/5.0 (X11; Linux x86_64)",
    fbc="fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890",
    fbp="fb.1.1558571054389.1098115397",
)
# The answer documented for POST /{pixel_id}/events.
RECEIVED = {"events_received": 1, "messages": [], "fbtrace_id": "ABcdEFghIJ"}


@pytest.fixture(scope="module")
def board() -> Iterator[Switchboard]:
    with switchboard() as shared:
        yield shared


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def config(url: str, **extra: str) -> dict[str, Any]:
    return {"pixel_id": "1234567890", "access_token": TOKEN, "graph_base_url": url, **extra}


def send(url: str, event: ConversionEvent = EVENT, target: str = "Lead", **extra: str) -> str:
    return adplatforms.send(KIND, config(url, **extra), event, target=target, allow_private=True)


def test_the_event_is_posted_as_documented(board: Switchboard) -> None:
    graph = board.answering(lambda _r: (200, RECEIVED))
    answer = send(graph.url)
    [request] = graph.received
    assert (request.method, request.path) == ("POST", f"/{DEFAULT_GRAPH_VERSION}/1234567890/events")
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "data": [
            {
                "event_name": "Lead",
                "event_time": int(OCCURRED.timestamp()),
                "event_id": "conversion-7-meta",
                "action_source": "system_generated",
                "user_data": {
                    "em": [sha("john.doe@example.com")],
                    "ph": [sha("31612345678")],
                    "fn": [sha("jöhn")],
                    "ln": [sha("obriensmith")],
                    "external_id": [sha("42")],
                    "client_ip_address": "203.0.113.7",
                    "client_user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
                    "fbc": "fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890",
                    "fbp": "fb.1.1558571054389.1098115397",
                },
                "custom_data": {
                    "value": 50.0,
                    "currency": "EUR",
                    "event_source": "crm",
                    "lead_event_source": "LeadHub",
                },
            }
        ],
        "access_token": TOKEN,
    }
    assert "ABcdEFghIJ" in answer


def test_an_e164_phone_and_a_formatted_one_hash_alike_and_the_test_code_is_sent(
    board: Switchboard,
) -> None:
    bare = replace(
        EVENT, phone="+31612345678", email="jane@example.com", first_name=None, value=None
    )
    graph = board.answering(lambda _r: (200, RECEIVED))
    send(graph.url, bare, target="Purchase", test_event_code="TEST12345")
    body = graph.received[0].json()
    [event] = body["data"]
    assert event["event_name"] == "Purchase"
    assert event["user_data"]["ph"] == [sha("31612345678")]
    assert event["user_data"]["em"] == [sha("jane@example.com")]
    assert "fn" not in event["user_data"]
    assert event["custom_data"] == {"event_source": "crm", "lead_event_source": "LeadHub"}
    assert body["test_event_code"] == "TEST12345"


def test_a_phone_without_country_code_is_not_sent(board: Switchboard) -> None:
    local = replace(EVENT, phone="06 12345678")
    graph = board.answering(lambda _r: (200, RECEIVED))
    send(graph.url, local)
    assert "ph" not in graph.received[0].json()["data"][0]["user_data"]


BARE = ConversionEvent(event_id="e", occurred_at=datetime.now(UTC), value=None, currency="EUR")


@pytest.mark.parametrize(
    "event",
    [
        replace(BARE, email="a@example.com"),
        replace(BARE, phone="+31612345678"),
        replace(BARE, fbc="fb.1.1.abc"),
        replace(BARE, fbp="fb.1.1.123"),
        replace(BARE, ip_address="203.0.113.7", user_agent="Mozilla/5.0"),
    ],
)
def test_enough_customer_information(event: ConversionEvent) -> None:
    assert adplatforms.missing(KIND, event) is None


@pytest.mark.parametrize(
    "event",
    [
        BARE,
        replace(BARE, first_name="John", last_name="Doe", external_id="42"),
        replace(BARE, ip_address="203.0.113.7"),
        replace(BARE, user_agent="Mozilla/5.0"),
        replace(BARE, phone="0612345678"),
        replace(BARE, email="   "),
    ],
)
def test_too_little_customer_information(event: ConversionEvent) -> None:
    problem = adplatforms.missing(KIND, event)
    assert problem is not None and "email" in problem


def test_an_event_older_than_seven_days_is_missing_its_window() -> None:
    old = replace(EVENT, occurred_at=datetime.now(UTC) - timedelta(days=7, minutes=1))
    problem = adplatforms.missing(KIND, old)
    assert problem is not None and "7 days" in problem
    with pytest.raises(ConnectorError) as raised:
        send("http://127.0.0.1:9", old)
    assert raised.value.permanent


@pytest.mark.parametrize("target", ["Lead", "Purchase", "Marketing Qualified Lead", "x" * 50])
def test_valid_event_names(target: str) -> None:
    assert adplatforms.target_problem(KIND, target) is None


@pytest.mark.parametrize("target", ["", "   ", " Lead", "Lead\n", "x" * 51])
def test_invalid_event_names(target: str) -> None:
    assert adplatforms.target_problem(KIND, target) is not None


def test_a_server_error_is_worth_a_retry(board: Switchboard) -> None:
    graph = board.answering(lambda _r: (503, {"error": {"message": "Service unavailable"}}))
    with pytest.raises(ConnectorError) as raised:
        send(graph.url)
    assert not raised.value.permanent and "503" in raised.value.message


def test_a_refusal_is_permanent_and_keeps_the_token_out_of_the_message(board: Switchboard) -> None:
    refusal = {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException"}}
    graph = board.answering(lambda _r: (400, refusal))
    with pytest.raises(ConnectorError) as raised:
        send(graph.url)
    assert raised.value.permanent and "400" in raised.value.message
    assert TOKEN not in raised.value.message


@pytest.mark.parametrize("answer", [{"events_received": 0, "messages": []}, {"fbtrace_id": "x"}])
def test_an_answer_without_a_received_event_is_an_error(
    board: Switchboard, answer: dict[str, Any]
) -> None:
    graph = board.answering(lambda _r: (200, answer))
    with pytest.raises(ConnectorError) as raised:
        send(graph.url)
    assert raised.value.permanent


def test_the_connection_check_reads_the_pixel(
    board: Switchboard, app: FastAPI, workspace: Workspace
) -> None:
    def graph(received: Received) -> tuple[int, Any]:
        if query_of(received).get("access_token") == TOKEN:
            return 200, {"name": "Acme Pixel", "id": "1234567890"}
        return 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}}

    server = board.answering(graph)
    ok = make_integration(app, workspace, KIND, config(server.url))
    bad = make_integration(app, workspace, KIND, {**config(server.url), "access_token": "x"})
    results = check(app, workspace, ok), check(app, workspace, bad)
    assert results[0].ok and results[0].message == "The pixel is Acme Pixel."
    assert not results[1].ok and "400" in results[1].message
    request = server.received[0]
    assert path_of(request) == f"/{DEFAULT_GRAPH_VERSION}/1234567890"
    assert query_of(request) == {"access_token": TOKEN, "fields": "name"}
