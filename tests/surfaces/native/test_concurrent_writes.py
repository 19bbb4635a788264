"""Concurrent write requests all finish, however few worker threads the server has."""

from __future__ import annotations

import asyncio

import anyio.to_thread
import httpx
from fastapi import FastAPI

from leadhub.surfaces.common.turns import WriteTurns


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

    assert asyncio.run(burst()) == [201] * 12


def test_only_a_database_with_one_writer_makes_writes_take_turns() -> None:
    async def turns(serialized: bool) -> bool:
        held = WriteTurns(serialized=serialized).turn()
        async with held:
            return isinstance(held, asyncio.Lock) and held.locked()

    assert asyncio.run(turns(serialized=True)) is True
    assert asyncio.run(turns(serialized=False)) is False
