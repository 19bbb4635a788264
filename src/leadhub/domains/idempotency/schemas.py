"""What the idempotency service takes and gives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from leadhub.auth.principal import Principal

# Who sent a key, besides its workspace: the workspace's own API keys, a form's public key, or
# an agency acting on the workspace through its grant (`actor_of`).
WORKSPACE_ACTOR = "workspace"
FORM_ACTOR = "form"


def actor_of(principal: Principal) -> str:
    """Who sends a key: the workspace's own key, or the agency acting through its grant (the
    same key on the same path then names different requests for the two)."""
    if principal.agency_workspace_id is not None:
        return f"agency:{principal.agency_workspace_id}"
    return WORKSPACE_ACTOR


@dataclass(frozen=True)
class KeyScope:
    """What one key is unique within: the workspace, who sent it, the method and the path."""

    workspace_id: int
    actor: str
    method: str
    path: str
    key: str

    @property
    def digest(self) -> str:
        parts = (self.actor, self.method, self.path, self.key)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class Fresh:
    """The key is this request's: do the work, then record the answer in the same transaction."""


@dataclass(frozen=True)
class Busy:
    """Another request with the key is at work right now."""


@dataclass(frozen=True)
class Replay:
    """The key already answered this very request: answer the same again."""

    response: StoredResponse


Outcome = Fresh | Busy | Replay
