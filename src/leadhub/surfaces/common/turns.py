"""Write requests of one process take turns on SQLite, waiting on the event loop.

SQLite has one writer at a time. A write request that waited for it in a worker thread would
hold that thread all along: enough waiting writers hold every thread, and reads queue behind
them; and were any step of the request that has the database to need a worker thread before its
transaction ends (FastAPI checks a plain endpoint's answer in one), nothing would move at all.
So a write request first waits for its turn here, holding no thread, and keeps it until its
transaction has ended. PostgreSQL locks rows, not the database: there, writes take no turn.
"""

from __future__ import annotations

import asyncio
import weakref
from contextlib import AbstractAsyncContextManager, nullcontext


class WriteTurns:
    def __init__(self, *, serialized: bool) -> None:
        self.serialized = serialized
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
        return lock
