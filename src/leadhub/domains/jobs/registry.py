"""Job handlers by kind. Domains register theirs in their tasks.py; the runner looks them up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from leadhub.db.uow import Database
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION
from leadhub.kit.clock import Clock, utcnow
from leadhub.kit.crypto import SecretBox
from leadhub.storage.base import BlobStore


@dataclass
class JobContext:
    """What a handler gets besides its payload: its unit of work and the node's capabilities."""

    session: Session
    job_id: int
    workspace_id: int | None
    attempt: int
    secret_box: SecretBox
    allow_private_targets: bool
    base_url: str
    # Meta's Graph API version (LEADHUB_META_GRAPH_VERSION).
    graph_version: str = DEFAULT_GRAPH_VERSION
    # The node's clock: handlers that record or compare "now" read it here.
    clock: Clock = utcnow
    extras: dict[str, Any] = field(default_factory=dict)
    # For long jobs that commit their progress in steps of their own (imports, exports).
    database: Database | None = None
    # Where files live (uploaded imports, written exports).
    store: BlobStore | None = None


Handler = Callable[[JobContext, dict[str, Any]], None]
_HANDLERS: dict[str, Handler] = {}


class PermanentFailure(Exception):
    """A failure retrying cannot fix (bad configuration, a 4xx answer): fail now, do not retry."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of this kind."""

    def register(function: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not function:
            raise ValueError(f"a handler for {kind!r} is already registered")
        _HANDLERS[kind] = function
        return function

    return register


def lookup(kind: str) -> Handler | None:
    return _HANDLERS.get(kind)


def kinds() -> list[str]:
    return sorted(_HANDLERS)
