"""Whether the job queue answers, and how much waits in it, within a bounded time.

The probe talks to the queue's storage through a client of its own with short timeouts (huey's
own Redis client has none, and its SQLite connection is shared with the consumer), using huey's
storage classes so the keys and tables are the ones the queue uses.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from huey import Huey
from huey.storage import BaseStorage, RedisStorage, SqliteStorage
from redis import ConnectionPool

log = logging.getLogger("leadhub.health")
PROBE_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class QueueStatus:
    ok: bool
    backend: str
    # Jobs handed to the queue and not yet taken by a consumer; retries waiting for their time.
    pending: int | None
    scheduled: int | None
    latency_ms: float


class QueueProbe:
    def __init__(self, huey: Huey, *, timeout: float = PROBE_TIMEOUT_SECONDS) -> None:
        self.storage = _probe_storage(huey.storage, timeout)
        self.backend = _backend(huey.storage)

    def check(self) -> QueueStatus:
        started = time.perf_counter()
        try:
            pending, scheduled = self.storage.queue_size(), self.storage.schedule_size()
            ok = True
        except Exception as exc:  # any client's error: the queue does not answer
            log.warning("health: the job queue does not answer: %s", exc)
            ok, pending, scheduled = False, None, None
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        return QueueStatus(
            ok=ok, backend=self.backend, pending=pending, scheduled=scheduled, latency_ms=elapsed
        )

    def close(self) -> None:
        if isinstance(self.storage, RedisStorage):
            self.storage.pool.disconnect()
        elif isinstance(self.storage, SqliteStorage):
            self.storage.close()


def _backend(storage: BaseStorage) -> str:
    if isinstance(storage, RedisStorage):
        return "redis"
    if isinstance(storage, SqliteStorage):
        return "sqlite"
    return "memory"


def _probe_storage(storage: BaseStorage, timeout: float) -> BaseStorage:
    if isinstance(storage, RedisStorage):
        kwargs = storage.pool.connection_kwargs
        pool = ConnectionPool(
            connection_class=storage.pool.connection_class,
            **{**kwargs, "socket_connect_timeout": timeout, "socket_timeout": timeout},
        )
        return type(storage)(name=storage.name, connection_pool=pool, clean_name=False)
    if isinstance(storage, SqliteStorage):
        return SqliteStorage(
            name=storage.name,
            filename=storage.filename,
            timeout=timeout,
            journal_mode=None,
            cache_mb=0,
            create_tables=False,
        )
    return storage  # in memory (tests): nothing can fail to answer
