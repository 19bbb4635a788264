"""Write requests of one process take turns on SQLite, waiting on the event loop.

SQLite has one writer at a time. A write request that waited for it in a worker thread would
hold that thread all along: enough waiting writers hold every thread, and reads queue behind
them; and were any step of the request that has the database to need a worker thread before its
transaction ends (FastAPI checks a plain endpoint's answer in one), nothing would move at all.
So a write request first waits for its turn here, holding no thread, and keeps it until its
transaction has ended. PostgreSQL locks rows, not the database: there, writes take no turn.

A turn is waited for at most the busy timeout, as SQLite's lock is: while another process holds
the lock, each request in line would otherwise wait for every one before it to time out.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

from leadhub.db.engine import BUSY_TIMEOUT_SECONDS, busy_database


class WriteTurns:
    def __init__(self, *, serialized: bool, timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.serialized = serialized
        self.timeout = timeout
        # One lock per event loop: a test client runs its own loop.
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def turn(self) -> AbstractAsyncContextManager[object]:
        """Held from the start of a write request's unit of work to its end."""
        if not self.serialized:
            return nullcontext()
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks.setdefault(loop, asyncio.Lock())
        return _taken(lock, self.timeout)


@asynccontextmanager
async def _taken(lock: asyncio.Lock, timeout: float) -> AsyncIterator[None]:
    try:
        async with asyncio.timeout(timeout):
            await lock.acquire()
    except TimeoutError:
        raise busy_database() from None  # as SQLite would answer: a 503 at the edge
    try:
        yield
    finally:
        lock.release()
