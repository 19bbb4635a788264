"""The signed-in person: the session cookie, CSRF tokens, roles, acting for a client and flash
messages."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, replace
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.grants import clients
from leadhub.domains.users import signin
from leadhub.domains.users.signin import Membership
from leadhub.errors import Forbidden, LeadHubError
from leadhub.kit.crypto import SecretBox, SecretUnreadable
from leadhub.kit.tokens import constant_time_equal
from leadhub.surfaces.common.deps import RuntimeDep
from leadhub.surfaces.web import acting

USER_KEY = "uid"
MEMBERSHIPS_KEY = "uids"
CSRF_KEY = "csrf"
FLASH_KEY = "flash"
# The public id of the client workspace an agency's member acts for; only ever a claim, checked
# against an active grant on every request.
ACTING_KEY = "acting"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(LeadHubError):
    code = "LOGIN_REQUIRED"
    default_message = "Please sign in."


class CsrfRejected(LeadHubError):
    code = "CSRF_REJECTED"
    default_message = "This form has expired. Reload the page and try again."


class ActingEnded(LeadHubError):
    code = "ACTING_ENDED"
    default_message = "The agency's access to this client has ended."


@dataclass(frozen=True)
class Acting:
    """Whom a member of an agency acts for, through which grant, as which principal."""

    client_id: str
    client_name: str
    home: Membership
    principal: Principal


@dataclass(frozen=True)
class WebUser(Membership):
    """The signed-in person in the workspace they work in: their own, or a client's that their
    agency holds a grant on. Routes ask `principal()` and get whichever applies."""

    acting: Acting | None = None

    def principal(self) -> Principal:
        return self.acting.principal if self.acting else super().principal()

    def home(self) -> Membership:
        """The person's own membership, in the agency when acting for a client."""
        return self.acting.home if self.acting else self


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request that does not carry this session's CSRF token."""
    expected = request.session.get(CSRF_KEY)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not constant_time_equal(sent, expected):
        raise CsrfRejected()


Csrf = Depends(verify_csrf)


def start(request: Request, chosen: Membership, opened: list[Membership]) -> None:
    """A fresh session for a person who just signed in (a new CSRF token, no fixation)."""
    request.session.clear()
    request.session[USER_KEY] = chosen.user_id
    request.session[MEMBERSHIPS_KEY] = [membership.user_id for membership in opened]
    csrf_token(request)


def end(request: Request) -> None:
    request.session.clear()


def current_membership(request: Request, runtime: RuntimeDep) -> WebUser:
    """The signed-in person in the workspace they are working in; LoginRequired otherwise."""
    user_id = request.session.get(USER_KEY)
    if not isinstance(user_id, int):
        raise LoginRequired()
    with runtime.db.unit_of_work(write=False) as session:
        found = signin.memberships(session, [user_id])
        if not found:  # deactivated or deleted since: the session is over
            end(request)
            raise LoginRequired()
        user = _acting(request, session, found[0])
    request.state.membership = user
    if user.acting and not acting.allows(user.principal(), request.method, request.url.path):
        raise Forbidden(
            f"Acting for {user.acting.client_name}, you may not do this: the grant or your role"
            " does not allow it."
        )
    return user


def _acting(request: Request, session: Session, membership: Membership) -> WebUser:
    """The person as they work now: acting for a client only while the grant is active."""
    claimed = request.session.get(ACTING_KEY)
    user = WebUser(**asdict(membership))
    if claimed is None:
        return user
    try:
        if not isinstance(claimed, str) or not membership.workspace_is_agency:
            raise Forbidden()
        lent, client = clients.acting_for(session, membership.principal(), claimed)
    except Forbidden:
        request.session.pop(ACTING_KEY, None)
        request.state.membership = user
        flash(
            request,
            f"Your access to that client has ended; you are back in {membership.workspace_name}.",
            "error",
        )
        raise ActingEnded() from None
    through = Acting(client_id=client.id, client_name=client.name, home=membership, principal=lent)
    return replace(
        user,
        workspace_id=lent.workspace_id,
        workspace_slug=client.slug,
        workspace_name=client.name,
        workspace_is_agency=False,  # a client's access is not passed on
        acting=through,
    )


def start_acting(request: Request, client_id: str) -> None:
    """Act for a client from the next request on (checked there against the grant)."""
    request.session[ACTING_KEY] = client_id


def stop_acting(request: Request) -> None:
    request.session.pop(ACTING_KEY, None)


CurrentUser = Annotated[WebUser, Depends(current_membership)]


def require_admin(user: CurrentUser) -> WebUser:
    """Owners and admins only: keys, people, integrations and workspace settings."""
    if not user.is_admin:
        raise Forbidden("Only owners and admins can do this.")
    return user


AdminUser = Annotated[WebUser, Depends(require_admin)]


def require_scope(principal: Principal, scope: str) -> None:
    """Refuse a person whose role (or whose agency's grant) does not allow `scope`."""
    if not principal.allows(scope):
        raise Forbidden("Your role does not allow this.")


def flash(request: Request, text: str, kind: str = "success", *, secret: bool = False) -> None:
    """A message for the next page; `secret` seals it (a key or a signing secret shown once)."""
    messages = list(request.session.get(FLASH_KEY, []))
    messages.append([kind, seal(request, text) if secret else text, secret])
    request.session[FLASH_KEY] = messages[-5:]


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    messages = request.session.pop(FLASH_KEY, [])
    shown: list[tuple[str, str]] = []
    for kind, text, *sealed in messages:
        shown.append((str(kind), unseal(request, text) if sealed and sealed[0] else str(text)))
    return shown


def seal(request: Request, value: str) -> str:
    """The value encrypted for the session: its cookie is signed, but anyone holding it can read
    it, so a secret on its way to the one page that shows it travels sealed."""
    box: SecretBox = request.app.state.runtime.secret_box
    return box.encrypt_json(value)


def unseal(request: Request, token: object) -> str:
    """What `seal` sealed; empty when it cannot be read (the node's secret key changed)."""
    box: SecretBox = request.app.state.runtime.secret_box
    try:
        value = box.decrypt_json(token) if isinstance(token, str) else ""
    except SecretUnreadable:
        return ""
    return value if isinstance(value, str) else ""
