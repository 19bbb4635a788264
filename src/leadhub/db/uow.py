"""The database of one node and its units of work.

The edge (request, CLI command, job) opens a unit of work and commits or rolls back; services only
flush.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, sessionmaker

from leadhub.db import deferred, outbox
from leadhub.db.engine import BUSY_TIMEOUT_SECONDS, make_engine

Dispatcher = Callable[[list[tuple[int, float]]], None]
log = logging.getLogger("leadhub.jobs")


class UnitOfWork:
    """A session ended once: committed, or rolled back after an error; then closed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ended = False

    def end(self, error: BaseException | None = None) -> None:
        if self.ended:
            return
        self.ended = True
        try:
            if error is None:
                self.session.commit()
            else:
                self.session.rollback()
        except BaseException:
            self.session.rollback()
            raise
        finally:
            self.session.close()


class Database:
    """An engine and the two kinds of session it hands out: reading, and writing."""

    def __init__(
        self,
        url: str,
        engine: Engine | None = None,
        *,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        deferred_seconds: float = deferred.FLUSH_SECONDS,
    ) -> None:
        self.url = url
        self.engine = engine or make_engine(url, busy_timeout=busy_timeout)
        # Rows noted in passing (a search's record), written in batches (db/deferred.py).
        self.deferred = deferred.DeferredRows(self.unit_of_work, flush_seconds=deferred_seconds)
        info = {deferred.BUFFER: self.deferred}
        writer_bind = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._writer = sessionmaker(bind=writer_bind, expire_on_commit=False, info=info)
        self._reader = sessionmaker(bind=self.engine, expire_on_commit=False, info=info)
        # Who receives the ids of jobs once the transaction that wrote them commits.
        self.dispatcher: Dispatcher | None = None
        for factory in (self._writer, self._reader):
            event.listen(factory, "after_commit", self._hand_over)
            event.listen(factory, "after_rollback", self._drop)

    @contextmanager
    def unit_of_work(self, *, write: bool = True) -> Iterator[Session]:
        """One atomic use case: everything inside commits together, or nothing does."""
        unit = self.begin(write=write)
        try:
            yield unit.session
        except BaseException as exc:
            unit.end(exc)
            raise
        unit.end()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a lookup or two outside any unit of work: no session to make and
        end (a request's key is checked this way, before its own unit of work opens)."""
        with self.engine.connect() as connection:
            yield connection

    def begin(self, *, write: bool = True) -> UnitOfWork:
        """A unit of work whose end is called by its owner (a request's, which may end in
        another thread than it began)."""
        return UnitOfWork((self._writer if write else self._reader)())

    def _hand_over(self, session: Session) -> None:
        deferred.forget_taken(session)
        self.deferred.add(deferred.noted(session))
        jobs = outbox.take(session)
        if not jobs:
            return
        if self.dispatcher is None:  # the sweeper of a running node will find them
            log.warning("no job dispatcher: %d job(s) wait for the next sweep", len(jobs))
            return
        self.dispatcher(jobs)

    def _drop(self, session: Session) -> None:
        """A rollback: its jobs and noted rows are forgotten; rows it took from the buffer go
        back there."""
        outbox.take(session)
        deferred.noted(session)
        self.deferred.put_back(deferred.taken_back(session))

    def dispose(self) -> None:
        self.engine.dispose()
