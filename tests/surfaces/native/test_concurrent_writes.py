"""Concurrent write requests all finish, however few worker threads the server has."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio.to_thread
import httpx
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from leadhub.db.availability import is_unavailable
from leadhub.db.uow import Database
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.common.turns import WriteTurns
from tests.factories import Workspace, make_key

T = TypeVar("T")


def run(work: Callable[[], Awaitable[T]]) -> T:
    """`work` on an event loop of its own thread (this one may be running another: browsers)."""
    with start_blocking_portal() as portal:
        return portal.call(work)


def test_writes_finish_when_they_outnumber_the_worker_threads(
    app: FastAPI, headers: dict[str, str]
) -> None:
    """A request's transaction ends after its response is serialized in a worker thread: were
    the writers waiting for the database in worker threads, the one holding it could not end."""

    async def burst() -> list[int]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            with anyio.fail_after(60):
                answers = await asyncio.gather(
                    *(
                        client.post(
                            "/api/v1/leads",
                            json={"first_name": f"N{n}", "email": f"n{n}@example.com"},
                            headers=headers,
                        )
                        for n in range(12)
                    )
                )
        return [answer.status_code for answer in answers]

    assert run(burst) == [201] * 12


def test_only_a_database_with_one_writer_makes_writes_take_turns() -> None:
    async def second_gets_in(serialized: bool) -> bool:
        turns = WriteTurns(serialized=serialized)
        async with turns.turn():
            try:
                async with asyncio.timeout(0.1), turns.turn():
                    return True
            except TimeoutError:
                return False

    assert run(lambda: second_gets_in(serialized=True)) is False
    assert run(lambda: second_gets_in(serialized=False)) is True


def test_a_turn_not_given_within_the_busy_timeout_fails_as_a_busy_database() -> None:
    async def wait_behind_a_holder() -> BaseException | None:
        turns = WriteTurns(serialized=True, timeout=0.1)
        async with turns.turn():
            try:
                async with turns.turn():
                    return None
            except OperationalError as exc:
                return exc

    error = run(wait_behind_a_holder)
    assert error is not None and "database is locked" in str(error)
    assert is_unavailable(error)  # a 503 with Retry-After at the edge


def test_a_write_is_refused_for_its_key_without_waiting_for_the_write_turn(
    app: FastAPI, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    """The key, its rate limit and its scope are checked before a write takes its turn: a
    refused writer never waits behind the ones writing, and never holds them up."""
    runtime: Runtime = app.state.runtime
    runtime.write_turns = WriteTurns(serialized=True, timeout=60)
    reader = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['read:leads'])}"}
    limited = {"Authorization": f"Bearer {make_key(db, workspace, rate_limit=1)}"}
    lead = {"first_name": "Ada", "email": "ada@example.com"}

    async def while_a_writer_holds_the_turn() -> tuple[list[int], int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.get("/api/v1/leads", headers=limited)).status_code == 200
            async with runtime.write_turns.turn():
                with anyio.fail_after(10):  # a request waiting for the turn would wait 60 s
                    refused = [
                        (await client.post("/api/v1/leads", json=lead, headers=sent)).status_code
                        for sent in ({"Authorization": "Bearer lh_unknown"}, reader, limited)
                    ]
            created = await client.post("/api/v1/leads", json=lead, headers=headers)
        return refused, created.status_code

    assert run(while_a_writer_holds_the_turn) == ([401, 403, 429], 201)
