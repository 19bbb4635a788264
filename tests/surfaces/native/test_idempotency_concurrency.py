"""Requests with the same Idempotency-Key at the same moment: one does the work, the others
wait for it and replay its answer (or, past the wait, are told the key is busy)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from leadhub.db.uow import Database
from leadhub.domains.idempotency import service as idempotency
from leadhub.domains.idempotency.schemas import Fresh, KeyScope, StoredResponse
from leadhub.models import IdempotencyRecord
from leadhub.surfaces.common import idempotency as glue
from leadhub.surfaces.common.idempotency import REPLAYED_HEADER
from tests.factories import Workspace
from tests.surfaces.native.assertions import assert_error, bearer
from tests.surfaces.native.idempotency_helpers import INBOUND, LEADS, counts, keyed

RACERS = 10
# Enough tags that creating the lead takes a while: the racers meet while it is at work.
LEAD = {"first_name": "Racer", "tags": [f"tag-{n}" for n in range(25)]}


def race(base_url: str, headers: dict[str, str], path: str, body: dict[str, Any]) -> list[Any]:
    """RACERS threads post the same keyed request at once through real HTTP; their answers."""
    barrier = threading.Barrier(RACERS)
    answers: list[httpx.Response] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            with httpx.Client(
                base_url=base_url, headers=headers, timeout=60, trust_env=False
            ) as http:
                http.get("/api/v1/health")  # connect before the start line
                barrier.wait(timeout=10)
                answer = http.post(path, json=body)
            with lock:
                answers.append(answer)
        except BaseException as exc:  # reported in the test's thread
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=send) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == RACERS
    return answers


def assert_one_did_the_work(answers: list[httpx.Response], status: int) -> None:
    assert [answer.status_code for answer in answers] == [status] * RACERS, [
        answer.text for answer in answers
    ]
    assert len({answer.content for answer in answers}) == 1
    replayed = [answer.headers.get(REPLAYED_HEADER) == "true" for answer in answers]
    assert replayed.count(False) == 1


@pytest.mark.slow
def test_simultaneous_keyed_creations_through_a_server_make_one_lead(
    live_server: str, live_db: Database, live_workspace: Workspace, live_key: str
) -> None:
    answers = race(live_server, keyed(bearer(live_key), "race-lead"), LEADS, LEAD)
    assert_one_did_the_work(answers, 201)
    assert counts(live_db)["leads"] == 1 and counts(live_db)["records"] == 1


@pytest.mark.slow
def test_simultaneous_keyed_intakes_through_a_server_make_one_lead(
    live_server: str, live_db: Database, live_workspace: Workspace, live_key: str
) -> None:
    body = {"email": "race@example.com", "tags": [f"t{n}" for n in range(25)]}
    path = f"{INBOUND}?tenant={live_workspace.slug}"
    answers = race(live_server, keyed(bearer(live_key), "race-intake"), path, body)
    # Every answer is the creation's: none is merged as a duplicate of it.
    assert_one_did_the_work(answers, 201)
    assert answers[0].json()["is_duplicate"] is False
    assert counts(live_db)["leads"] == 1


def run(work: Callable[[], Any]) -> Any:
    """`work` on an event loop of its own thread."""
    with start_blocking_portal() as portal:
        return portal.call(work)


def test_keyed_racers_finish_when_they_outnumber_the_worker_threads(
    app: FastAPI, db: Database, headers: dict[str, str]
) -> None:
    """The racers wait for the key on the event loop, not in worker threads: the one at work
    always has a thread to finish in."""

    async def burst() -> list[httpx.Response]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            with anyio.fail_after(60):
                return list(
                    await asyncio.gather(
                        *(
                            http.post(LEADS, json=LEAD, headers=keyed(headers, "burst"))
                            for _ in range(12)
                        )
                    )
                )

    answers = run(burst)
    assert [answer.status_code for answer in answers] == [201] * 12
    assert len({answer.content for answer in answers}) == 1
    assert counts(db)["leads"] == 1


# -- a key held by a transaction still at work ------------------------------------------------


def recorded_scope(db: Database, workspace: Workspace) -> tuple[KeyScope, str]:
    """The scope and fingerprint of the one record, which is then removed (as if its request
    were still at work)."""
    with db.unit_of_work() as session:
        record = session.scalars(select(IdempotencyRecord)).one()
        scope = KeyScope(workspace.id, record.actor, record.method, record.path, record.key)
        session.execute(delete(IdempotencyRecord))
        return scope, record.fingerprint


def hold(
    db: Database, scope: KeyScope, fingerprint: str, *, seconds: float, answer: bytes | None
) -> tuple[threading.Thread, threading.Event]:
    """A transaction that takes the key, keeps it `seconds`, then records `answer` and commits
    (or, with no answer, rolls back). Started once the key is taken."""
    taken = threading.Event()

    def work() -> None:
        with db.unit_of_work() as session:
            assert isinstance(idempotency.begin(session, scope, fingerprint=fingerprint), Fresh)
            session.flush()
            taken.set()
            time.sleep(seconds)
            if answer is None:
                session.rollback()
                return
            response = StoredResponse(201, (("content-type", "application/json"),), answer)
            idempotency.finish(session, scope, fingerprint=fingerprint, response=response)

    thread = threading.Thread(target=work)
    thread.start()
    assert taken.wait(timeout=30)
    return thread, taken


def test_a_request_waits_for_the_transaction_holding_its_key_and_replays_its_answer(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    body = {"first_name": "Held"}
    assert client.post(LEADS, json=body, headers=keyed(headers, "held")).status_code == 201
    scope, fingerprint = recorded_scope(db, workspace)
    answer = b'{"data":{"recorded_by":"the holder"}}'
    holder, _taken = hold(db, scope, fingerprint, seconds=0.5, answer=answer)
    started = time.monotonic()
    waited = client.post(LEADS, json=body, headers=keyed(headers, "held"))
    holder.join(timeout=30)
    assert time.monotonic() - started >= 0.4
    assert waited.status_code == 201 and waited.content == answer
    assert waited.headers[REPLAYED_HEADER] == "true"
    assert counts(db)["leads"] == 1


def test_a_key_held_past_the_wait_is_a_409_and_free_once_released(
    client: TestClient,
    db: Database,
    workspace: Workspace,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: a request waits for the database itself, not its key")
    monkeypatch.setattr(glue, "WAIT_SECONDS", 0.3)
    body = {"first_name": "Busy"}
    assert client.post(LEADS, json=body, headers=keyed(headers, "busy")).status_code == 201
    scope, fingerprint = recorded_scope(db, workspace)
    holder, _taken = hold(db, scope, fingerprint, seconds=1.5, answer=None)
    refused = client.post(LEADS, json=body, headers=keyed(headers, "busy"))
    holder.join(timeout=30)
    body_of = assert_error(refused, 409, "CONFLICT")
    assert "in progress" in str(body_of["message"])
    retried = client.post(LEADS, json=body, headers=keyed(headers, "busy"))
    assert retried.status_code == 201 and REPLAYED_HEADER not in retried.headers
    assert counts(db)["leads"] == 2  # the first request's lead, and the retry's
