"""Whether the database answers, asked on a connection of its own within a bounded time.

The health check polls it: it must not wait behind the node's busy pool, a server that does not
answer, or a lock, so the probe has its own small pool and short connect and statement timeouts.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from leadhub.db.engine import make_engine

log = logging.getLogger("leadhub.health")
PROBE_TIMEOUT_SECONDS = 2.0
# Reads a LeadHub table, so a reachable server without the schema does not pass.
_PROBE = text("SELECT 1 FROM alembic_version LIMIT 1")


@dataclass(frozen=True)
class DatabaseStatus:
    ok: bool
    kind: str
    latency_ms: float


class DatabaseProbe:
    def __init__(self, url: str, *, timeout: float = PROBE_TIMEOUT_SECONDS) -> None:
        self.url = url
        self.kind = make_url(url).get_backend_name()
        self.timeout = timeout
        self._engine: Engine | None = None

    def check(self) -> DatabaseStatus:
        started = time.perf_counter()
        ok = self._ask()
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        return DatabaseStatus(ok=ok, kind=self.kind, latency_ms=elapsed)

    def _ask(self) -> bool:
        for attempt in (1, 2):
            try:
                with self.engine().connect() as connection:
                    connection.execute(_PROBE)
                return True
            except DBAPIError as exc:
                # A pooled connection the server dropped (a restart): once more on a new one.
                if exc.connection_invalidated and attempt == 1:
                    continue
                log.warning("health: the database does not answer: %s", _reason(exc))
                return False
            except SQLAlchemyError as exc:  # the pool's own timeout, among others
                log.warning("health: the database does not answer: %s", _reason(exc))
                return False
        return False  # pragma: no cover - the loop answers

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._build()
        return self._engine

    def _build(self) -> Engine:
        pool: dict[str, Any] = {"pool_size": 1, "max_overflow": 2, "pool_timeout": self.timeout}
        if self.kind == "sqlite":
            connect = {"check_same_thread": False, "timeout": self.timeout}
            engine = make_engine(self.url, connect_args=connect, **pool)
            milliseconds = int(self.timeout * 1000)

            @event.listens_for(engine, "connect")
            def _bounded(dbapi_connection: Any, _record: Any) -> None:
                # After the node's own settings, which wait up to 30 s for a busy database.
                dbapi_connection.execute(f"PRAGMA busy_timeout={milliseconds}")

            return engine
        connect_args: dict[str, Any] = {}
        if self.kind == "postgresql":
            milliseconds = int(self.timeout * 1000)
            connect_args = {
                "connect_timeout": max(1, round(self.timeout)),
                "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
            }
        return create_engine(self.url, connect_args=connect_args, **pool)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__
