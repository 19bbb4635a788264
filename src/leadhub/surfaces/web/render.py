"""Rendering pages: one template environment, the layout's context, small display filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.routing import NoMatchFound

from leadhub.domains.grants import clients
from leadhub.domains.grants.clients import ClientRead
from leadhub.domains.users import signin
from leadhub.domains.users.signin import Membership
from leadhub.surfaces.web import acting
from leadhub.surfaces.web.session import MEMBERSHIPS_KEY, WebUser, csrf_token, pop_flashes

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")


@dataclass(frozen=True)
class NavItem:
    label: str
    route: str
    icon: str
    admin_only: bool = False


# The sections of the app, in the sidebar's order; later areas add themselves here.
NAV: list[NavItem] = [
    NavItem("Dashboard", "dashboard", "▦"),
    NavItem("Leads", "leads", "☰"),
    NavItem("Lists", "lists", "≣"),
    NavItem("Imports", "imports", "⇪"),
    NavItem("Exports", "exports", "⇩"),
    NavItem("Inbox", "inbox", "✆"),
    NavItem("Conversions", "conversions", "✓"),
    NavItem("Pipelines", "pipelines", "⇶"),
    NavItem("Forms", "forms", "✎"),
    NavItem("Lead magnets", "lead_magnets", "◎"),
    NavItem("Posts", "posts", "✉"),
    NavItem("Automations", "automations", "⚡"),
    NavItem("Webhooks", "webhooks", "↗", admin_only=True),
    NavItem("Account", "account", "¤", admin_only=True),
    NavItem("Settings", "settings", "⚙"),
]


def page(
    request: Request, name: str, user: Membership | None, *, status: int = 200, **context: Any
) -> HTMLResponse:
    """A full page in the app's layout."""
    context.update(
        user=user,
        csrf_token=csrf_token(request),
        flashes=pop_flashes(request),
        nav=_nav(request, user),
        workspaces=_workspaces(request, user),
        clients=_clients(request, user),
    )
    return templates.TemplateResponse(request, name, context, status_code=status)


def path_for(request: Request, route: str, /, **params: Any) -> str:
    """The path of one of the web app's own named routes.

    `request.url_for` would search every mounted surface, and the API (mounted first) has routes of
    the same names; the web app resolves names in its own router only.
    """
    return str(request.app.url_path_for(route, **params))


def path_or_none(request: Request, route: str, /, **params: Any) -> str | None:
    """The path of a page that may not be served yet (areas arrive one by one), or None."""
    try:
        return path_for(request, route, **params)
    except NoMatchFound:
        return None


@pass_context
def _url_for(context: Any, route: str, /, **params: Any) -> str:
    return path_for(context["request"], route, **params)


def redirect(
    request: Request, route: str, /, query: dict[str, Any] | None = None, **params: Any
) -> RedirectResponse:
    """A 303 to a named route (after a POST, so reloading does not repeat it)."""
    url = path_for(request, route, **params)
    if query:
        url += "?" + urlencode(
            {key: value for key, value in query.items() if value not in (None, "")}
        )
    return RedirectResponse(url, status_code=303)


def _nav(request: Request, user: Membership | None) -> list[tuple[NavItem, str]]:
    """The sections this person may open, with their paths (sections not served yet left out)."""
    if user is None:
        return []
    items = []
    for item in NAV:
        if item.admin_only and not user.is_admin:
            continue
        href = path_or_none(request, item.route)
        if href is not None and may_open(user, href):
            items.append((item, href))
    return items


def may_open(user: Membership, href: str) -> bool:
    """Whether a page is open to this person (acting for a client, the grant decides too)."""
    if not isinstance(user, WebUser) or user.acting is None:
        return True
    return acting.allows(user.principal(), "GET", href)


def _workspaces(request: Request, user: Membership | None) -> list[Membership]:
    if user is None:
        return []
    ids = request.session.get(MEMBERSHIPS_KEY) or [user.user_id]
    if len(ids) < 2:
        return [user]
    runtime = request.app.state.runtime
    with runtime.db.unit_of_work(write=False) as session:
        return signin.memberships(session, ids)


def _clients(request: Request, user: Membership | None) -> list[ClientRead]:
    """The clients an agency's member may act for, for the switcher."""
    home = user.home() if isinstance(user, WebUser) else user
    if home is None or not home.workspace_is_agency:
        return []
    runtime = request.app.state.runtime
    with runtime.db.unit_of_work(write=False) as session:
        return clients.active_clients(session, home.principal())


def _when(value: datetime | None, style: str = "datetime") -> str:
    if value is None:
        return "—"
    if style == "date":
        return value.strftime("%d %b %Y")
    return value.strftime("%d %b %Y, %H:%M UTC")


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


templates.env.globals["url_for"] = _url_for
templates.env.filters["when"] = _when
templates.env.filters["money"] = _money
