"""What every settings page shares: the sections, their sub-navigation and the posted form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from starlette.datastructures import FormData
from starlette.routing import NoMatchFound

from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid
from leadhub.surfaces.web.render import may_open, page, path_for, path_or_none
from leadhub.surfaces.web.validation import parse

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Section:
    label: str
    route: str
    description: str
    admin_only: bool = True
    agency_only: bool = False


# The settings sections in the sub-navigation's order; later areas (webhooks, account, …) add
# theirs here, and a section whose route is not served yet is left out.
SECTIONS: list[Section] = [
    Section("Workspace", "settings_workspace", "Name, slug and default phone region."),
    Section("Users and roles", "settings_users", "Invite people and choose what they may do."),
    Section("API keys", "settings_keys", "Keys for the REST API, with scopes and limits."),
    Section("Integrations", "settings_integrations", "Facebook, Google, email, Slack, webhooks."),
    Section("Tags", "settings_tags", "The labels you put on leads.", admin_only=False),
    Section(
        "Conversion labels",
        "settings_conversion_labels",
        "The outcomes leads are rated with, and the ad platforms each one is sent to.",
    ),
    Section(
        "Privacy",
        "settings_privacy",
        "Export or erase everything held about a person (GDPR requests).",
    ),
    Section(
        "Clients",
        "settings_clients",
        "The client workspaces this agency works in, and what it may do in each.",
        agency_only=True,
    ),
]


def sections_for(request: Request, user: Membership) -> list[tuple[Section, str]]:
    """The sections this person may open, with their paths."""
    found = []
    for section in SECTIONS:
        if section.admin_only and not user.is_admin:
            continue
        if section.agency_only and not user.workspace_is_agency:
            continue
        try:
            href = path_for(request, section.route)
        except NoMatchFound:
            continue
        if may_open(user, href):
            found.append((section, href))
    return found


def settings_page(
    request: Request,
    name: str,
    user: Membership,
    *,
    section: str | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A settings page: the app's layout with the settings sub-navigation."""
    context.setdefault("errors", {})
    context.update(
        sections=sections_for(request, user), section=section, link=partial(path_or_none, request)
    )
    return page(request, name, user, status=status, **context)


async def _posted(request: Request) -> FormData:
    # Starlette keeps the parsed form on the request, so the CSRF check has read it already.
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]


def text(form: FormData, name: str) -> str:
    """A posted text value, or '' when it is missing or a file."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str)]


def parse_form(model: type[M], data: Mapping[str, Any], *, required: Sequence[str] = ()) -> M:
    """The service's input from posted values; a blank required field reads "is required"
    (rather than "must be at least 1 characters"), beside the other fields' messages."""
    missing = {
        name: [f"The {name.replace('_', ' ')} field is required."]
        for name in required
        if not data.get(name)
    }
    try:
        parsed = parse(model, data)
    except Invalid as exc:
        raise Invalid({**exc.fields, **missing}) from exc
    if missing:
        raise Invalid(missing)
    return parsed
