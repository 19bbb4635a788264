"""Shared by the Idempotency-Key tests: row counts, keyed posts, what a replay must look like."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.models import IdempotencyRecord, Job, Lead, LeadEvent
from leadhub.surfaces.common.idempotency import HEADER, REPLAYED_HEADER

INBOUND = "/api/inbound/leads"
LEADS = "/api/v1/leads"
COUNTED = {"leads": Lead, "events": LeadEvent, "jobs": Job, "records": IdempotencyRecord}


def counts(db: Database) -> dict[str, int]:
    """How many leads, lead events, jobs and idempotency records there are."""
    with db.unit_of_work(write=False) as session:
        return {
            name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in COUNTED.items()
        }


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, HEADER: key}


def post(
    client: TestClient, path: str, headers: dict[str, str], key: str, **options: Any
) -> Response:
    return client.post(path, headers=keyed(headers, key), **options)


def assert_replay_of(replay: Response, first: Response) -> None:
    """`replay` is `first` answered again: status, body and the answer's own headers."""
    assert REPLAYED_HEADER.lower() not in {name.lower() for name in first.headers}
    assert replay.headers.get(REPLAYED_HEADER) == "true", (replay.status_code, replay.text)
    assert replay.status_code == first.status_code
    assert replay.content == first.content
    for name in ("content-type", "location"):
        assert replay.headers.get(name) == first.headers.get(name), name
    # Each request has its own id, and one with an API key is counted in its key's budget.
    assert replay.headers["x-request-id"] != first.headers["x-request-id"]
    if "x-ratelimit-remaining" in first.headers:
        assert replay.headers["x-ratelimit-remaining"].isdigit()


def assert_not_replayed(response: Response) -> None:
    assert REPLAYED_HEADER.lower() not in {name.lower() for name in response.headers}


def age_records(db: Database, *, by: timedelta) -> None:
    """Move every record's creation and expiry that far into the past."""
    with db.unit_of_work() as session:
        for record in session.scalars(select(IdempotencyRecord)):
            record.created_at -= by
            record.expires_at -= by
