"""Hostile input through a real `leadhub serve`: what the HTTP server itself does with oversized
and malformed requests matters here (how it streams a body, where its own limits are)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.factories import Workspace, make_key
from tests.surfaces.envelopes import NativeError, parse_error

pytestmark = pytest.mark.slow

MAX_BODY = Settings().max_body_bytes
DEEP = 10_000


@pytest.fixture
def api(live_server: str, live_db: Database, live_workspace: Workspace) -> Iterator[httpx.Client]:
    key = make_key(live_db, live_workspace)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=live_server, headers=headers, timeout=60, trust_env=False) as client:
        yield client


def native_error(response: httpx.Response, status: int, code: str) -> NativeError:
    assert response.status_code == status, response.text[:500]
    body = parse_error(response.url.path, response.headers["content-type"], response.content)
    assert isinstance(body, NativeError)
    assert body.code == code, body
    return body


@pytest.mark.parametrize("size", [MAX_BODY + 1, 10 * MAX_BODY, 50 * MAX_BODY])
def test_an_oversized_body_is_413_and_the_answer_arrives(api: httpx.Client, size: int) -> None:
    """The client sends the whole body and reads the 413: the connection is not dropped."""
    response = api.post(
        "/api/v1/leads", content=b" " * size, headers={"Content-Type": "application/json"}
    )
    native_error(response, 413, "PAYLOAD_TOO_LARGE")


def test_an_oversized_streamed_body_is_cut_off_with_413(api: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10 * MAX_BODY // 65_536):
            yield b" " * 65_536

    response = api.post(
        "/api/v1/leads", content=chunks(), headers={"Content-Type": "application/json"}
    )
    native_error(response, 413, "PAYLOAD_TOO_LARGE")


def test_the_server_still_answers_after_refusing_bodies(api: httpx.Client) -> None:
    for _ in range(3):
        refused = api.post(
            "/api/v1/leads",
            content=b" " * (2 * MAX_BODY),
            headers={"Content-Type": "application/json"},
        )
        assert refused.status_code == 413
        created = api.post("/api/v1/leads", json={"first_name": "Ada"})
        assert created.status_code == 201, created.text


@pytest.mark.parametrize(
    "body",
    [b"[" * DEEP + b"]" * DEEP, b'{"a":' * DEEP + b"1" + b"}" * DEEP],
    ids=["arrays", "objects"],
)
def test_json_nested_ten_thousand_deep_is_a_422(api: httpx.Client, body: bytes) -> None:
    for path in ("/api/v1/leads", "/api/inbound/leads?tenant=acme"):
        response = api.post(path, content=body, headers={"Content-Type": "application/json"})
        error = native_error(response, 422, "VALIDATION_FAILED")
        assert error.errors == {"body": ["The request body is nested too deeply."]}


def test_deep_json_on_a_dialect_is_its_400(api: httpx.Client) -> None:
    body = b"[" * DEEP + b"]" * DEEP
    response = api.post(
        "/compat/leadtrackr/api/leads/createServerSideLead",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"message": "The request body is nested too deeply"}


def raw_request(base_url: str, head: bytes) -> bytes:
    """Send the request head as written (no client would send it) and read the whole answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(head)
        answer = b""
        while chunk := connection.recv(65_536):
            answer += chunk
    return answer


def status_of(answer: bytes) -> int:
    found = re.match(rb"HTTP/1\.1 (\d{3}) ", answer)
    assert found, answer[:200]
    return int(found.group(1))


def test_a_long_query_string_is_414_in_the_envelope(live_server: str, api: httpx.Client) -> None:
    response = api.get("/api/v1/leads", params={"search": "a" * 20_000})
    native_error(response, 414, "URI_TOO_LONG")


def test_a_100kb_url_is_refused_by_the_server_itself(live_server: str) -> None:
    """The HTTP server parses URLs up to 64 KB and refuses a longer one before LeadHub sees it:
    a plain 400, and the connection is closed after the answer, not dropped."""
    head = b"GET /api/v1/leads?search=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert status_of(raw_request(live_server, head)) == 400


@pytest.mark.parametrize(
    "target",
    [b"/api/v1/tags/%FF%FE", b"/api/v1/tags/a%00", b"/api/v1/leads?search=%C3"],
)
def test_invalid_utf8_and_nul_in_the_url_are_a_422(live_server: str, target: bytes) -> None:
    answer = raw_request(
        live_server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status_of(answer) == 422
    assert b'"code":"VALIDATION_FAILED"' in answer


def test_raw_bytes_outside_ascii_in_the_url_are_refused_by_the_server(live_server: str) -> None:
    answer = raw_request(live_server, b"GET /api/v1/tags/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(answer) == 400
