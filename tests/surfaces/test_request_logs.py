"""`leadhub serve` with LEADHUB_LOG_FORMAT=json: every line it writes is a JSON object, uvicorn's
own included, and each request's lines carry the request's one id."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from leadhub.db.uow import Database
from tests.conftest import running_server
from tests.factories import Workspace, make_key

pytestmark = pytest.mark.slow


@pytest.fixture
def json_server(tmp_path: Path, database_url: str, db: Database) -> Iterator[tuple[str, Path]]:
    env = {
        "LEADHUB_DATABASE_URL": database_url,
        "LEADHUB_DATA_DIR": str(tmp_path / "data"),
        "LEADHUB_LOG_FORMAT": "json",
    }
    with running_server(tmp_path, env) as base_url:
        yield base_url, tmp_path / "server.log"


def lines_of(log: Path) -> list[dict[str, Any]]:
    """Every line the server wrote (stdout and stderr), each parsed as JSON."""
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def access_line(log: Path, request_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10  # written once the response has gone out
    while time.monotonic() < deadline:
        for line in lines_of(log):
            if line["logger"] == "leadhub.access" and line.get("request_id") == request_id:
                return line
        time.sleep(0.1)
    raise AssertionError(f"no access line for {request_id}")


def test_every_line_is_json_and_a_request_is_found_by_its_id(
    json_server: tuple[str, Path], db: Database, workspace: Workspace
) -> None:
    base_url, log = json_server
    auth = {"Authorization": f"Bearer {make_key(db, workspace)}"}
    with httpx.Client(base_url=base_url, headers=auth, trust_env=False, timeout=30) as http:
        mine = http.get("/api/v1/leads", headers={"X-Request-Id": "my-trace-0001"})
        panther = http.get("/compat/leadpanther/api/v1/me")
    assert mine.status_code == 200 and mine.headers["X-Request-Id"] == "my-trace-0001"
    line = access_line(log, "my-trace-0001")
    assert (line["level"], line["method"], line["path"], line["status"]) == (
        "INFO",
        "GET",
        "/api/v1/leads",
        200,
    )
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["client"] == "127.0.0.1" and line["timestamp"].endswith("+00:00")
    # One id per request: the LeadPanther body's, the header's and the log's.
    generated = panther.headers["X-Request-Id"]
    assert panther.json()["request_id"] == generated
    assert access_line(log, generated)["path"] == "/compat/leadpanther/api/v1/me"
    loggers = {line["logger"] for line in lines_of(log)}
    assert "uvicorn.error" in loggers  # uvicorn's own lines are JSON too
    assert "uvicorn.access" not in loggers  # one access line per request: LeadHub's
