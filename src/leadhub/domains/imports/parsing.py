"""Checking a file's rows on every core while the batches before them are written.

Checking a row (the lead's field rules, email and phone normalisation) is pure CPU work and most
of an import's cost; writing a batch holds the database. A large import hands its batches to
worker processes a few batches ahead of the writer and takes their results back in the file's
order. The workers are spawned, not forked: a server's threads, locks and connections are not
carried into them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from leadhub.domains.imports.reader import Row
from leadhub.domains.imports.writer import Failed, Parsed, parse_rows

# Below this many rows, starting the processes (about a second each) costs more than it saves.
PARALLEL_FROM_ROWS = 10_000
_MAX_WORKERS = 4

Outcomes = list[Parsed | Failed]


def workers_for(rows_left: int | None) -> int:
    """How many processes should check the rows of an import with this many rows left."""
    if rows_left is None or rows_left < PARALLEL_FROM_ROWS:
        return 1
    return min(os.cpu_count() or 1, _MAX_WORKERS)


def parsed_batches(
    batches: Iterable[list[Row]], mapping: Sequence[str], region: str, *, workers: int
) -> Iterator[Outcomes]:
    """Each batch's outcomes (one per row), in the file's order."""
    if workers <= 1:
        for batch in batches:
            yield parse_rows(batch, mapping, region)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    pending: deque[Future[Outcomes]] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(parse_rows, batch, list(mapping), region))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # A run stopped early (an error, a superseded run) leaves batches unchecked: drop them.
        pool.shutdown(wait=True, cancel_futures=True)
