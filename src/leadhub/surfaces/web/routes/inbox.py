"""The inbox: comments and DMs seen on LinkedIn, newest first, filtered as the API filters them,
each marked replied, ignored or back to new (members too)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.activity import service as activity
from leadhub.domains.activity.schemas import (
    ACTIVITY_SOURCES,
    ACTIVITY_STATUSES,
    ActivityFilters,
    ActivityRead,
    ActivityUpdate,
)
from leadhub.domains.lead_magnets import service as magnets
from leadhub.errors import NotFound
from leadhub.kit.pagination import PageRequest
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import may_open, page, redirect
from leadhub.surfaces.web.routes.settings_common import Posted, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash, require_scope

router = APIRouter(prefix="/inbox")
ActivityId = Annotated[str, Path(max_length=36)]
PER_PAGE = 25
SOURCE_LABELS = {"comment": "Comment", "dm": "DM"}
STATUS_LABELS = {"new": "New", "replied": "Replied", "ignored": "Ignored", "archived": "Archived"}
# The status buttons of a row: the status they set and their label.
ACTIONS = (("replied", "Mark replied"), ("ignored", "Ignore"), ("new", "Back to new"))
# Content longer than this is shown shortened, with the full text behind a disclosure.
SHORT = 280


class InboxQuery(BaseModel):
    """The filters in the URL; an unknown source or status is left out rather than refused."""

    source: str = Field("", max_length=10)
    status: str = Field("", max_length=10)
    keyword: str = Field("", max_length=50)
    search: str = Field("", max_length=200)

    def filters(self) -> ActivityFilters:
        source = self.source.strip().removesuffix("s")
        status = self.status.strip()
        return ActivityFilters(
            source=source if source in ACTIVITY_SOURCES else None,
            status=status if status in ACTIVITY_STATUSES else None,
            keyword=self.keyword.strip() or None,
            search=self.search.strip() or None,
        )

    def params(self) -> dict[str, str]:
        """The filters as they stay in links and redirects (the ones that apply)."""
        found = self.filters()
        values = {
            "source": found.source or "",
            "status": found.status or "",
            "keyword": self.keyword.strip(),
            "search": self.search.strip(),
        }
        return {name: value for name, value in values.items() if value}


@router.get("", response_class=HTMLResponse, name="inbox")
def inbox(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    query: Annotated[InboxQuery, Query()],
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The workspace's comments and DMs, newest first."""
    principal = user.principal()
    require_scope(principal, "read:activity")
    result = activity.list_activities(
        session, principal, filters=query.filters(), page=PageRequest(page_number, PER_PAGE)
    )
    params = query.params()
    return page(
        request,
        "inbox/index.html",
        user,
        title="Inbox",
        result=result,
        params=params,
        filtered=bool(params),
        magnets=_magnets(session, principal, result.items),
        sources=SOURCE_LABELS,
        statuses=STATUS_LABELS,
        actions=ACTIONS,
        short=SHORT,
        can_write=principal.allows("write:activity"),
        can_open=lambda href: may_open(user, href),
    )


@router.post("/{activity_id}/status", dependencies=[Csrf], name="inbox_status")
def set_status(
    request: Request, user: CurrentUser, session: SessionDep, activity_id: ActivityId, form: Posted
) -> Response:
    """Mark a comment or a DM replied, ignored or new again; back to the list as it was."""
    principal = user.principal()
    require_scope(principal, "write:activity")
    back = InboxQuery(  # the filters the list had, as far as the query would take them
        source=text(form, "source")[:10],
        status=text(form, "status")[:10],
        keyword=text(form, "keyword")[:50],
        search=text(form, "search")[:200],
    )
    number = text(form, "page")
    query: dict[str, Any] = {**back.params(), "page": number if number.isdigit() else None}
    try:
        data = ActivityUpdate.model_validate({"status": text(form, "to")})
    except ValidationError:
        flash(request, "Choose replied, ignored or new.", "error")
        return redirect(request, "inbox", query=query)
    updated = activity.update_activity(session, principal, activity_id, data=data)
    who = updated.author_name or "The message"
    flash(request, f"{who}: marked {STATUS_LABELS[updated.status].lower()}.")
    return redirect(request, "inbox", query=query)


def _magnets(session: Session, principal: Principal, items: list[ActivityRead]) -> dict[str, str]:
    """The resource name of each lead magnet these messages asked for, by the magnet's uuid."""
    names: dict[str, str] = {}
    for item in items:
        ref = item.metadata.matched_template_id
        if ref and ref not in names:
            try:
                names[ref] = magnets.get_magnet(session, principal, ref).resource_name
            except NotFound:  # deleted since
                names[ref] = ""
    return names
