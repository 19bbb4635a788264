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
    # Set when an agency's key acts on a client workspace through its grant: both the key's
    # scopes and the grant's permissions must allow what it does.
    agency_workspace_id: int | None = None
    grant_id: int | None = None
    grant_permissions: frozenset[str] | None = None

    @property
    def through_grant(self) -> bool:
        return self.grant_id is not None

    def allows(self, scope: str) -> bool:
        wanted = canonical(scope)
        if not satisfies(self.scopes, wanted):
            return False
        return self.grant_permissions is None or satisfies(self.grant_permissions, wanted)

    def require_own_access(self) -> None:
        """Refuse, through an agency's grant, handing out the client's own access (its API keys,
        its people's sign-ins): that access would reach past the grant's permissions and
        outlive its revocation."""
        if self.through_grant:
            raise Forbidden(
                "An agency's grant cannot create or change the client's API keys or sign-ins."
            )

    def require(self, scope: str) -> None:
        wanted = canonical(scope)
        if not satisfies(self.scopes, wanted):
            raise Forbidden(f"This API key lacks the required scope: {wanted}.")
        if self.grant_permissions is not None and not satisfies(self.grant_permissions, wanted):
            raise Forbidden(f"The agency's grant on this client does not allow {wanted}.")
