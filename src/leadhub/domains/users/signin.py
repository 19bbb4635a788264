"""Signing people in to the web app, and the workspaces their account opens.

A person may be a member of several workspaces under one email address; signing in with it opens
every workspace whose member row has that email and accepts the password. This is the one place
that reads users across workspaces, on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from leadhub.auth.passwords import hash_password, verify_password
from leadhub.auth.principal import Principal
from leadhub.auth.scopes import ALL, ALL_SCOPES
from leadhub.domains.audit import service as audit
from leadhub.errors import Unauthorized
from leadhub.kit.clock import utcnow
from leadhub.models import User, Workspace

ADMIN_ROLES = frozenset({"owner", "admin"})
# Members work leads and everything around them (lead magnets capture leads, as forms do, and
# the inbox's comments and DMs make them); settings, keys and people are for admins.
_MEMBER_RESOURCES = (
    "leads",
    "activity",
    "pipelines",
    "tags",
    "forms",
    "lead_magnets",
    "automations",
    "lists",
    "exports",
)
# Members shape the pipelines' stages but do not delete pipelines or stages.
MEMBER_SCOPES = frozenset(
    scope
    for scope in ALL_SCOPES
    if scope != "delete:pipelines"
    and (
        scope.split(":", 1)[1] in _MEMBER_RESOURCES
        or (
            scope.startswith("read:")
            and scope.split(":", 1)[1] not in ("integrations", "account", "webhooks", "privacy")
        )
    )
)
_NO_SUCH_ACCOUNT = "These credentials do not match our records."
_DUMMY_HASH: list[str] = []


@dataclass(frozen=True)
class Membership:
    user_id: int
    name: str
    email: str
    role: str
    workspace_id: int
    workspace_slug: str
    workspace_name: str
    workspace_is_agency: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    def principal(self) -> Principal:
        scopes = frozenset({ALL}) if self.is_admin else MEMBER_SCOPES
        return Principal(
            workspace_id=self.workspace_id,
            workspace_slug=self.workspace_slug,
            scopes=scopes,
            user_id=self.user_id,
        )


def sign_in(
    session: Session, email: str, password: str, *, ip_address: str | None = None
) -> list[Membership]:
    """The memberships this email and password open, newest sign-in recorded (and noted in each
    workspace's activity); or Unauthorized."""
    address = email.strip().lower()
    rows = session.execute(_memberships().where(User.email == address)).all()
    opened = [
        (user, workspace)
        for user, workspace in rows
        if user.password_hash and verify_password(password, user.password_hash)
    ]
    if not rows:  # spend the same time as a real check, so timing does not reveal accounts
        verify_password(password, _dummy_hash())
    if not opened:
        raise Unauthorized(_NO_SUCH_ACCOUNT)
    now = utcnow()
    for user, _workspace in opened:
        user.last_login_at = now
    session.flush()
    found = [_membership(user, workspace) for user, workspace in opened]
    for membership in found:
        audit.record(
            session,
            membership.workspace_id,
            membership.principal(),
            "user.signed_in",
            target_type="user",
            target_id=membership.user_id,
            details={"email": membership.email},
            ip_address=ip_address,
        )
    return found


def memberships(session: Session, user_ids: Iterable[int]) -> list[Membership]:
    """The still-active memberships among these user ids, by workspace name."""
    ids = list(user_ids)
    if not ids:
        return []
    statement = _memberships().where(User.id.in_(ids)).order_by(Workspace.name)
    return [_membership(user, workspace) for user, workspace in session.execute(statement)]


def _memberships() -> Select[User, Workspace]:
    return (
        select(User, Workspace)
        .join(Workspace, Workspace.id == User.workspace_id)
        .where(User.is_active.is_(True))
    )


def _membership(user: User, workspace: Workspace) -> Membership:
    return Membership(
        user_id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        workspace_id=workspace.id,
        workspace_slug=workspace.slug,
        workspace_name=workspace.name,
        workspace_is_agency=workspace.is_agency,
    )


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password("not a real password"))
    return _DUMMY_HASH[0]
