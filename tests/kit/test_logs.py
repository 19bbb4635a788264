"""Log lines carry the id of the request or job they were written for, as JSON or as text."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.jobs import service as jobs
from leadhub.domains.leads import service as leads_service
from leadhub.kit import logs
from tests.conftest import BASE_URL
from tests.factories import Workspace
from tests.jobs import handlers  # noqa: F401  (registers the test handlers)


class Lines:
    """What a configured handler writes, one line per record, on the `leadhub` logger."""

    def __init__(self, log_format: logs.LogFormat) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logs.formatter(log_format))
        self.handler.addFilter(logs.ContextFilter())

    def text(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text()]


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    lines = Lines("json")
    logger = logging.getLogger("leadhub")
    logger.addHandler(lines.handler)
    try:
        yield lines
    finally:
        logger.removeHandler(lines.handler)


def test_a_json_line_has_level_logger_message_time_request_id_and_trace() -> None:
    lines = Lines("json")
    record_of = logging.getLogger("leadhub.test")
    record_of.addHandler(lines.handler)
    token = logs.REQUEST_ID.set("req-12345678")
    try:
        try:
            raise ValueError("the cause")
        except ValueError:
            record_of.exception("failed %s", "here")
    finally:
        logs.REQUEST_ID.reset(token)
        record_of.removeHandler(lines.handler)
    (line,) = lines.json()
    assert line["level"] == "ERROR" and line["logger"] == "leadhub.test"
    assert line["message"] == "failed here" and line["request_id"] == "req-12345678"
    assert "Traceback" in line["exception"] and "ValueError: the cause" in line["exception"]
    stamped = datetime.fromisoformat(line["timestamp"])
    assert stamped.utcoffset() is not None and stamped.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 60
    assert "job_id" not in line  # not inside a job


def test_lines_outside_a_request_or_job_have_no_ids(json_lines: Lines) -> None:
    logging.getLogger("leadhub.test").warning("at start-up")
    (line,) = json_lines.json()
    assert "request_id" not in line and "job_id" not in line


def test_a_text_line_names_the_ids_at_its_end() -> None:
    lines = Lines("text")
    record_of = logging.getLogger("leadhub.test")
    record_of.addHandler(lines.handler)
    try:
        with logs.job_context(42):
            record_of.warning("retrying")
    finally:
        record_of.removeHandler(lines.handler)
    (line,) = lines.text()
    assert line.endswith("WARNING leadhub.test: retrying [job_id=42]")


def test_every_line_a_request_logs_carries_its_id_even_from_a_worker_thread(
    app: FastAPI, headers: dict[str, str], json_lines: Lines, monkeypatch: pytest.MonkeyPatch
) -> None:
    def logging_get(*_args: object, **_kwargs: object) -> object:
        logging.getLogger("leadhub.leads").warning("looking the lead up")  # in the thread pool
        raise RuntimeError("boom")

    monkeypatch.setattr(leads_service, "get", logging_get)
    client = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
    response = client.get("/api/v1/leads/1", headers={**headers, "X-Request-Id": "abc-123-xyz"})
    assert response.status_code == 500
    assert response.headers["X-Request-Id"] == "abc-123-xyz"
    by_logger = {line["logger"]: line for line in json_lines.json()}
    assert set(by_logger) >= {"leadhub.leads", "leadhub.errors", "leadhub.access"}
    assert {line["request_id"] for line in by_logger.values()} == {"abc-123-xyz"}
    assert "RuntimeError: boom" in by_logger["leadhub.errors"]["exception"]
    access = by_logger["leadhub.access"]
    assert (access["method"], access["path"], access["status"]) == ("GET", "/api/v1/leads/1", 500)
    assert access["duration_ms"] >= 0


def test_an_unusable_incoming_request_id_is_replaced(client: TestClient) -> None:
    for bad in ("short", "has spaces in it", "x" * 129, "semi;colon;id"):
        response = client.get("/api/v1/health", headers={"X-Request-Id": bad})
        generated = response.headers["X-Request-Id"]
        assert generated != bad and len(generated) == 32, bad


def test_the_lines_a_job_logs_carry_its_id(
    app: FastAPI, db: Database, workspace: Workspace, json_lines: Lines
) -> None:
    with db.unit_of_work() as session:
        job_id = jobs.enqueue(
            session, "test.flaky", {"key": "logged", "failures": 1}, workspace_id=workspace.id
        ).id
    assert app.state.runtime.jobs.execute(job_id) == "retry"
    failed = [line for line in json_lines.json() if "attempt" in line["message"]]
    assert failed and all(line["job_id"] == job_id for line in failed), json_lines.text()


def huey_failure(name: str = "huey.consumer.Worker") -> logging.LogRecord:
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as refused:
            raise RuntimeError("Error 111 connecting to 127.0.0.1:6399") from refused
    except RuntimeError:
        return logging.LogRecord(
            name, logging.ERROR, __file__, 1, "Error reading from queue", None, sys.exc_info()
        )


def test_a_queue_outage_is_one_warning_line_a_minute_per_message() -> None:
    now = [0.0]
    outages = logs.OutageFilter(every=60, clock=lambda: now[0])
    first = huey_failure()
    assert outages.filter(first)
    assert (first.levelname, first.exc_info) == ("WARNING", None)
    assert first.getMessage() == (
        "Error reading from queue: the queue does not answer "
        "(ConnectionRefusedError: [Errno 111] Connection refused); said once a minute"
    )
    now[0] = 59
    assert not outages.filter(huey_failure())
    assert outages.filter(huey_failure("huey.consumer.Scheduler"))  # another loop: its own line
    now[0] = 61
    assert outages.filter(huey_failure())


def test_other_failures_keep_their_trace() -> None:
    outages = logs.OutageFilter()
    ours = huey_failure("leadhub.webhooks")
    assert outages.filter(ours) and ours.exc_info is not None
    try:
        raise ValueError("a bug")
    except ValueError:
        bug = logging.LogRecord(
            "huey.consumer.Worker", logging.ERROR, __file__, 1, "Unhandled", None, sys.exc_info()
        )
    assert outages.filter(bug) and bug.exc_info is not None and bug.levelname == "ERROR"
