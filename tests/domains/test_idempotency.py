"""The rules of the Idempotency-Key: which keys and answers are kept, for how long, and the
hourly purge of the expired ones."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.idempotency import service as idempotency
from leadhub.domains.idempotency.schemas import Fresh, KeyScope, Replay, StoredResponse
from leadhub.errors import Invalid
from leadhub.kit.clock import utcnow
from leadhub.models import IdempotencyRecord
from leadhub.surfaces.common.runtime import Runtime
from tests.factories import Workspace

ANSWER = StoredResponse(201, (("content-type", "application/json"),), b'{"data":{"id":1}}')


def scope(workspace: Workspace, key: str = "k") -> KeyScope:
    return KeyScope(workspace.id, "workspace", "POST", "/api/v1/leads", key)


def record(db: Database, workspace: Workspace, key: str, *, at: datetime) -> None:
    with db.unit_of_work() as session:
        assert isinstance(idempotency.begin(session, scope(workspace, key), fingerprint="f"), Fresh)
        idempotency.finish(
            session,
            scope(workspace, key),
            fingerprint="f",
            response=ANSWER,
            now=at,
        )


def keys(db: Database) -> list[str]:
    with db.unit_of_work(write=False) as session:
        return sorted(session.scalars(select(IdempotencyRecord.key)))


@pytest.mark.parametrize("key", ["a", "x" * 255, "order 42/retry:1", "~!@#$%^&*()"])
def test_keys_of_1_to_255_printable_ascii_characters_are_taken(key: str) -> None:
    assert idempotency.checked_key(key) == key


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "a\tb", "a\nb", "\x7f"])
def test_other_keys_are_refused_with_the_header_named(key: str) -> None:
    with pytest.raises(Invalid) as refused:
        idempotency.checked_key(key)
    assert set(refused.value.fields) == {"Idempotency-Key"}


@pytest.mark.parametrize(
    ("status", "kept"),
    [
        (200, True),
        (201, True),
        (202, True),
        (204, True),
        (400, True),
        (404, True),
        (413, True),
        (415, True),
        (422, True),
        (401, False),
        (402, False),
        (403, False),
        (409, False),
        (429, False),
        (500, False),
        (503, False),
    ],
)
def test_which_answers_are_kept(status: int, kept: bool) -> None:
    assert idempotency.is_stored(status) is kept


def test_a_recorded_answer_is_replayed_for_24_hours_then_gives_way(
    db: Database, workspace: Workspace
) -> None:
    start = utcnow()
    record(db, workspace, "k", at=start)
    with db.unit_of_work() as session:
        just_before = start + idempotency.TTL - timedelta(seconds=1)
        replay = idempotency.begin(session, scope(workspace), fingerprint="f", now=just_before)
    assert replay == Replay(ANSWER)
    with db.unit_of_work() as session:
        at_expiry = start + idempotency.TTL
        assert isinstance(
            idempotency.begin(session, scope(workspace), fingerprint="other", now=at_expiry), Fresh
        )
    assert keys(db) == []  # the expired record went with that transaction


def test_the_purge_removes_only_expired_records(db: Database, workspace: Workspace) -> None:
    now = utcnow()
    record(db, workspace, "old", at=now - idempotency.TTL - timedelta(minutes=1))
    record(db, workspace, "young", at=now - timedelta(hours=23))
    with db.unit_of_work() as session:
        assert idempotency.purge_expired(session, now=now) == 1
    assert keys(db) == ["young"]


def test_the_job_queue_purges_expired_keys_hourly_in_batches(
    app: FastAPI, db: Database, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime: Runtime = app.state.runtime
    long_ago = utcnow() - idempotency.TTL - timedelta(hours=1)
    for number in range(5):
        record(db, workspace, f"old-{number}", at=long_ago)
    record(db, workspace, "fresh", at=utcnow())
    hour = utcnow().replace(second=0, microsecond=0)
    runs = [
        minute
        for minute in range(60)
        if "leadhub.purge_idempotency_keys"
        in [task.name for task in runtime.jobs.huey.read_periodic(hour.replace(minute=minute))]
    ]
    assert len(runs) == 1
    monkeypatch.setattr(idempotency, "PURGE_BATCH", 2)
    assert runtime.jobs.purge_idempotency_keys() == 5
    assert keys(db) == ["fresh"]
