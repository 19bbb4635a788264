"""Write requests of one process take turns on SQLite, waiting on the event loop.

SQLite has one writer at a time, and a request's transaction ends only after its response is
serialized, which FastAPI does in the thread pool. Were the waiting requests to wait in worker
threads (at the database's lock), enough of them would hold every thread, and the request that
has the lock could not finish: it waits for a thread. So a write request first waits for its
turn here, holding no thread, and keeps it until its transaction has ended. PostgreSQL locks
rows, not the database: there, writes never wait for a turn.
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
