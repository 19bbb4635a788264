"""Job handlers used only by the tests (imported by the tests and by test worker processes)."""

from __future__ import annotations

import time
from typing import Any

from leadhub.db.scoped import ScopedRepository
from leadhub.domains.jobs.registry import JobContext, PermanentFailure, handler
from leadhub.models import Tag

FAILURES: dict[str, int] = {}


@handler("test.tag")
def make_tag(context: JobContext, payload: dict[str, Any]) -> None:
    """Creates a tag: a visible effect in the same transaction as the job's completion."""
    assert context.workspace_id is not None
    ScopedRepository(context.session, context.workspace_id).add(Tag(name=payload["name"]))
    context.session.flush()
    time.sleep(float(payload.get("sleep", 0)))


@handler("test.flaky")
def flaky(context: JobContext, payload: dict[str, Any]) -> None:
    """Fails the first `failures` times, then succeeds."""
    key = payload["key"]
    FAILURES[key] = FAILURES.get(key, 0) + 1
    if FAILURES[key] <= int(payload["failures"]):
        raise RuntimeError(f"attempt {FAILURES[key]} failed")


@handler("test.broken")
def broken(_context: JobContext, _payload: dict[str, Any]) -> None:
    raise PermanentFailure("misconfigured")
