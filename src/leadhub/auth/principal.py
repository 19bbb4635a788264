"""The Principal: who is calling, for which workspace, with which scopes."""

from __future__ import annotations

from dataclasses import dataclass

from leadhub.auth.scopes import canonical, satisfies
from leadhub.errors import Forbidden


@dataclass(frozen=True)
class Principal:
    workspace_id: int
    workspace_slug: str
    scopes: frozenset[str]
    api_key_id: int | None = None
    user_id: int | None = None
    # Set when an automation acts: its events name it and carry how deep the chain has gone.
    automation_id: int | None = None
    automation_depth: int = 0

    def allows(self, scope: str) -> bool:
        return satisfies(self.scopes, canonical(scope))

    def require(self, scope: str) -> None:
        if not self.allows(scope):
            raise Forbidden(f"This API key lacks the required scope: {canonical(scope)}.")
