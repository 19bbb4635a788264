"""Concurrent write requests all finish, however few worker threads the server has."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio.to_thread
import httpx
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI

from leadhub.surfaces.common.turns import WriteTurns

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
    async def held(serialized: bool) -> bool:
        turn = WriteTurns(serialized=serialized).turn()
        async with turn:
            return isinstance(turn, asyncio.Lock) and turn.locked()

    assert run(lambda: held(serialized=True)) is True
    assert run(lambda: held(serialized=False)) is False
