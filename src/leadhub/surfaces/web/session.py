"""The signed-in person: the session cookie, CSRF tokens, roles and flash messages."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from leadhub.domains.users import signin
from leadhub.domains.users.signin import Membership
from leadhub.errors import Forbidden, LeadHubError
from leadhub.kit.tokens import constant_time_equal
from leadhub.surfaces.common.deps import RuntimeDep

USER_KEY = "uid"
MEMBERSHIPS_KEY = "uids"
CSRF_KEY = "csrf"
FLASH_KEY = "flash"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(LeadHubError):
    code = "LOGIN_REQUIRED"
    default_message = "Please sign in."


class CsrfRejected(LeadHubError):
    code = "CSRF_REJECTED"
    default_message = "This form has expired. Reload the page and try again."


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


def current_membership(request: Request, runtime: RuntimeDep) -> Membership:
    """The signed-in person in the workspace they are working in; LoginRequired otherwise."""
    user_id = request.session.get(USER_KEY)
    if not isinstance(user_id, int):
        raise LoginRequired()
    with runtime.db.unit_of_work(write=False) as session:
        found = signin.memberships(session, [user_id])
    if not found:  # deactivated or deleted since: the session is over
        end(request)
        raise LoginRequired()
    request.state.membership = found[0]
    return found[0]


CurrentUser = Annotated[Membership, Depends(current_membership)]


def require_admin(user: CurrentUser) -> Membership:
    """Owners and admins only: keys, people, integrations and workspace settings."""
    if not user.is_admin:
        raise Forbidden("Only owners and admins can do this.")
    return user


AdminUser = Annotated[Membership, Depends(require_admin)]


def flash(request: Request, text: str, kind: str = "success") -> None:
    messages = list(request.session.get(FLASH_KEY, []))
    messages.append([kind, text])
    request.session[FLASH_KEY] = messages[-5:]


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    messages = request.session.pop(FLASH_KEY, [])
    return [(str(kind), str(text)) for kind, text in messages]
