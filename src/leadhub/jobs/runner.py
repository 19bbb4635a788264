"""Running one job: claim its row, run its handler in a unit of work that also completes it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from leadhub.db.uow import Database
from leadhub.domains.jobs import registry
from leadhub.domains.jobs import service as jobs
from leadhub.domains.jobs.registry import JobContext, PermanentFailure
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION
from leadhub.kit.clock import Clock, utcnow
from leadhub.kit.crypto import SecretBox
from leadhub.kit.logs import job_context
from leadhub.models import Job
from leadhub.storage.base import BlobStore

log = logging.getLogger("leadhub.jobs")


@dataclass(frozen=True)
class Capabilities:
    """What the node lends every handler."""

    secret_box: SecretBox
    allow_private_targets: bool
    base_url: str
    graph_version: str = DEFAULT_GRAPH_VERSION
    # When a job is due, and the "now" of what it does (tests fix it).
    clock: Clock = utcnow


Outcome = str  # "done", "retry", "failed" or "skipped"


def run_one(
    db: Database,
    job_id: int,
    capabilities: Capabilities,
    retry: Callable[[int, float], None],
    store: BlobStore | None = None,
    alive: Callable[[int], AbstractContextManager[None]] | None = None,
) -> Outcome:
    """Run the job if it is due and nobody else runs it; schedule its retry if it fails.

    `alive(job_id)` surrounds the run (the consumer's heartbeat renews the job's lease).
    """
    with job_context(job_id):  # every line it logs carries its id
        return _claim_and_run(db, job_id, capabilities, retry, store, alive)


def _claim_and_run(
    db: Database,
    job_id: int,
    capabilities: Capabilities,
    retry: Callable[[int, float], None],
    store: BlobStore | None,
    alive: Callable[[int], AbstractContextManager[None]] | None,
) -> Outcome:
    with db.unit_of_work() as session:
        job = jobs.claim(session, job_id, now=capabilities.clock())
        if job is None:
            return "skipped"
        claimed = _Claimed(job_id, job.kind, dict(job.payload), job.workspace_id, job.attempts)
    with alive(job_id) if alive is not None else nullcontext():
        return _run_claimed(db, claimed, capabilities, retry, store)


@dataclass(frozen=True)
class _Claimed:
    """What a run needs of its job, read when it was claimed."""

    job_id: int
    kind: str
    payload: dict[str, Any]
    workspace_id: int | None
    attempt: int


def _run_claimed(
    db: Database,
    claimed: _Claimed,
    capabilities: Capabilities,
    retry: Callable[[int, float], None],
    store: BlobStore | None,
) -> Outcome:
    job_id, kind, payload, workspace_id, attempt = (
        claimed.job_id,
        claimed.kind,
        claimed.payload,
        claimed.workspace_id,
        claimed.attempt,
    )
    handle = registry.lookup(kind)
    try:
        # The work and the job's completion commit together: a crash leaves neither.
        with db.unit_of_work() as session:
            if handle is None:
                raise PermanentFailure(f"no handler for jobs of kind {kind!r}")
            context = JobContext(
                session=session,
                job_id=job_id,
                workspace_id=workspace_id,
                attempt=attempt,
                secret_box=capabilities.secret_box,
                allow_private_targets=capabilities.allow_private_targets,
                base_url=capabilities.base_url,
                graph_version=capabilities.graph_version,
                clock=capabilities.clock,
                database=db,
                store=store,
            )
            handle(context, payload)
            done = session.get(Job, job_id)
            if done is not None:
                jobs.finish(session, done)
    except Exception as exc:  # every failure is recorded; none escapes into the worker
        permanent = isinstance(exc, PermanentFailure)
        log.warning("job %s (%s) attempt %s failed: %r", job_id, kind, attempt, exc)
        with db.unit_of_work() as session:
            delay = jobs.fail(session, job_id, f"{type(exc).__name__}: {exc}", permanent=permanent)
        if delay is None:
            return "failed"
        retry(job_id, delay)
        return "retry"
    return "done"
