"""GA4 Measurement Protocol: the documented event body, local validation, the debug check."""

from __future__ import annotations

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
from tests.connectors.conftest import make_integration
from tests.connectors.servers import Received, Switchboard, path_of, query_of, switchboard
from tests.connectors.test_connection import check
from tests.factories import Workspace

KIND = "ga4_measurement_protocol"
SECRET = "mp-api-secret-value"
OCCURRED = datetime.now(UTC).replace(microsecond=123456) - timedelta(hours=2)
EVENT = ConversionEvent(
    event_id="conversion-7-ga4",
    occurred_at=OCCURRED,
    value=Decimal("1250.50"),
    currency="EUR",
    email="john@example.com",
    cid="1234567890.1700000000",
    sid="1700000123",
)


@pytest.fixture(scope="module")
def board() -> Iterator[Switchboard]:
    with switchboard() as shared:
        yield shared


def config(url: str) -> dict[str, Any]:
    return {"measurement_id": "G-ABC123XYZ", "api_secret": SECRET, "base_url": url}


def send(url: str, event: ConversionEvent = EVENT, target: str = "close_convert_lead") -> str:
    return adplatforms.send(KIND, config(url), event, target=target, allow_private=True)


def test_the_event_is_posted_as_documented(board: Switchboard) -> None:
    # /mp/collect answers 204 with no body, whatever it makes of the payload.
    ga = board.answering(lambda _r: (204, b""))
    answer = send(ga.url)
    [request] = ga.received
    assert (request.method, path_of(request)) == ("POST", "/mp/collect")
    assert query_of(request) == {"measurement_id": "G-ABC123XYZ", "api_secret": SECRET}
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert body == {
        "client_id": "1234567890.1700000000",
        "timestamp_micros": int(OCCURRED.timestamp()) * 1_000_000 + 123456,
        "events": [
            {
                "name": "close_convert_lead",
                "params": {
                    "value": 1250.5,
                    "currency": "EUR",
                    "transaction_id": "conversion-7-ga4",
                    "session_id": "1700000123",
                    "engagement_time_msec": 1,
                },
            }
        ],
    }
    assert isinstance(body["timestamp_micros"], int) and len(str(body["timestamp_micros"])) == 16
    assert "user_id" not in body
    assert answer == "GA4 accepted the event."


def test_without_value_or_session_those_params_are_left_out(board: Switchboard) -> None:
    ga = board.answering(lambda _r: (204, b""))
    send(ga.url, replace(EVENT, value=None, sid=None), target="qualify_lead")
    [event] = ga.received[0].json()["events"]
    assert event == {
        "name": "qualify_lead",
        "params": {"transaction_id": "conversion-7-ga4", "engagement_time_msec": 1},
    }


def test_the_client_id_is_needed() -> None:
    for cid in (None, "", "  "):
        problem = adplatforms.missing(KIND, replace(EVENT, cid=cid))
        assert problem is not None and "client id" in problem
    assert adplatforms.missing(KIND, EVENT) is None


def test_events_older_than_72_hours_are_dropped_by_ga4() -> None:
    recent = replace(EVENT, occurred_at=datetime.now(UTC) - timedelta(hours=71))
    old = replace(EVENT, occurred_at=datetime.now(UTC) - timedelta(hours=72, minutes=1))
    assert adplatforms.missing(KIND, recent) is None
    problem = adplatforms.missing(KIND, old)
    assert problem is not None and "72 hours" in problem


@pytest.mark.parametrize(
    "target", ["close_convert_lead", "qualify_lead", "Purchase2", "a" * 40, "generate_lead"]
)
def test_valid_event_names(target: str) -> None:
    assert adplatforms.target_problem(KIND, target) is None


@pytest.mark.parametrize(
    "target",
    [
        "",
        "a" * 41,
        "1st_lead",
        "_lead",
        "close lead",
        "close-lead",
        "lead!",
        "google_lead",
        "ga_lead",
        "firebase_lead",
        "session_start",
        "first_visit",
        "user_engagement",
        "page_view",
    ],
)
def test_invalid_event_names(target: str) -> None:
    assert adplatforms.target_problem(KIND, target) is not None


@pytest.mark.parametrize(
    ("event", "target"),
    [
        (EVENT, "google_lead"),
        (replace(EVENT, cid=None), "close_convert_lead"),
        (replace(EVENT, currency="euro"), "close_convert_lead"),
    ],
)
def test_what_ga4_would_silently_drop_is_refused_before_sending(
    board: Switchboard, event: ConversionEvent, target: str
) -> None:
    ga = board.answering(lambda _r: (204, b""))
    with pytest.raises(ConnectorError) as raised:
        send(ga.url, event, target)
    assert raised.value.permanent and ga.received == []


def test_a_bad_measurement_id_is_refused_before_sending(board: Switchboard) -> None:
    ga = board.answering(lambda _r: (204, b""))
    with pytest.raises(ConnectorError) as raised:
        adplatforms.send(
            KIND,
            {**config(ga.url), "measurement_id": "UA-12345-1"},
            EVENT,
            target="close_convert_lead",
            allow_private=True,
        )
    assert raised.value.permanent and ga.received == []


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (503, False), (400, True)])
def test_http_errors(board: Switchboard, status: int, permanent: bool) -> None:
    ga = board.answering(lambda _r: (status, {"error": "x"}))
    with pytest.raises(ConnectorError) as raised:
        send(ga.url)
    assert raised.value.permanent is permanent
    assert SECRET not in raised.value.message


def test_the_connection_check_validates_a_test_event(
    board: Switchboard, app: FastAPI, workspace: Workspace
) -> None:
    def debug(received: Received) -> tuple[int, Any]:
        if received.json()["client_id"] and query_of(received)["measurement_id"] == "G-ABC123XYZ":
            return 200, {"validationMessages": []}
        return 200, {
            "validationMessages": [
                {
                    "fieldPath": "measurement_id",
                    "description": "Unable to find a data stream for measurement_id.",
                    "validationCode": "VALUE_INVALID",
                }
            ]
        }

    server = board.answering(debug)
    ok = make_integration(app, workspace, KIND, config(server.url))
    other = {**config(server.url), "measurement_id": "G-OTHER1"}
    bad = make_integration(app, workspace, KIND, other, "other")
    results = check(app, workspace, ok), check(app, workspace, bad)
    assert results[0].ok and results[0].message == "GA4 accepted a test event."
    assert not results[1].ok
    assert results[1].message == "Unable to find a data stream for measurement_id."
    request = server.received[0]
    assert path_of(request) == "/debug/mp/collect"
    assert query_of(request) == {"measurement_id": "G-ABC123XYZ", "api_secret": SECRET}
    [event] = request.json()["events"]
    assert adplatforms.target_problem(KIND, event["name"]) is None
