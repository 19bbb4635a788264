"""Posts: a month's calendar (by publish, else schedule day) and the editor with follow-ups."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.posts import service as posts
from leadhub.domains.posts.schemas import LOCKED_STATUSES, PostCreate, PostRead, PostUpdate
from leadhub.errors import Invalid
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import may_open, page, redirect
from leadhub.surfaces.web.routes import post_form as editor
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, WebUser, flash

router = APIRouter(prefix="/posts")
PostId = Annotated[int, Path(ge=1, le=MAX_ID)]
Month = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
MAGNETS_SHOWN = 100


@router.get("", response_class=HTMLResponse, name="posts")
def month(
    request: Request, user: CurrentUser, session: SessionDep, month: Month | None = None
) -> HTMLResponse:
    """A month of posts as a calendar, and the drafts without a time."""
    first = _first_day(month)
    following = _next_month(first)
    start, end = (datetime(d.year, d.month, d.day, tzinfo=UTC) for d in (first, following))
    dated, undated = posts.calendar(session, user.principal(), start=start, end=end)
    by_day: dict[date, list[PostRead]] = {}
    for post in dated:
        moment = post.published_at or post.scheduled_at
        if moment is not None:
            by_day.setdefault(moment.astimezone(UTC).date(), []).append(post)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return page(
        request,
        "posts/index.html",
        user,
        title="Posts",
        first=first,
        weeks=weeks,
        by_day=by_day,
        undated=undated,
        today=utcnow().date(),
        previous=_previous_month(first).strftime("%Y-%m"),
        following=following.strftime("%Y-%m"),
        can_open=partial(may_open, user),
    )


@router.get("/new", response_class=HTMLResponse, name="post_new")
def new_post(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    day: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = "",
) -> HTMLResponse:
    """The editor of a new post (a day picked on the calendar pre-fills its time)."""
    return _editor(request, user, session, None, editor.empty_values(day), {})


@router.post("", dependencies=[Csrf], name="post_create")
def create_post(request: Request, user: CurrentUser, session: SessionDep, form: Posted) -> Response:
    """Save a new draft or scheduled post."""
    values = editor.posted_values(form)
    try:
        data = parse_form(PostCreate, editor.service_input(values), required=["text"])
        created = posts.create_post(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()
        return _editor(request, user, session, None, values, exc.fields, status=422)
    flash(request, "The post is scheduled." if created.status == "scheduled" else "Draft saved.")
    return redirect(request, "post_edit", post_id=created.id)


@router.get("/{post_id}", response_class=HTMLResponse, name="post_edit")
def edit_post(
    request: Request, user: CurrentUser, session: SessionDep, post_id: PostId
) -> HTMLResponse:
    """A post in the editor, with its follow-ups and their schedule."""
    post = posts.get_post(session, user.principal(), post_id)
    return _editor(request, user, session, post, editor.values_of(post), {})


@router.post("/{post_id}", dependencies=[Csrf], name="post_update")
def update_post(
    request: Request, user: CurrentUser, session: SessionDep, post_id: PostId, form: Posted
) -> Response:
    """Save a post (a published one: only its notes)."""
    principal = user.principal()
    post = posts.get_post(session, principal, post_id)
    values = editor.posted_values(form)
    fields = (
        {"notes": text(form, "notes") or None}
        if post.status in LOCKED_STATUSES
        else editor.service_input(values)
    )
    try:
        data = parse_form(PostUpdate, fields)
        posts.update_post(session, principal, post_id, data=data)
    except Invalid as exc:
        session.rollback()
        current = posts.get_post(session, principal, post_id)
        return _editor(request, user, session, current, values, exc.fields, status=422)
    flash(request, "The post is saved.")
    return redirect(request, "post_edit", post_id=post_id)


@router.post("/{post_id}/delete", dependencies=[Csrf], name="post_delete")
def delete_post(
    request: Request, user: CurrentUser, session: SessionDep, post_id: PostId
) -> Response:
    """Delete a post (a pending publication is called off)."""
    posts.delete_post(session, user.principal(), post_id)
    flash(request, "The post is deleted.")
    return redirect(request, "posts")


def _editor(
    request: Request,
    user: WebUser,
    session: SessionDep,
    post: PostRead | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    principal = user.principal()
    found = magnets.list_magnets(session, principal, page=PageRequest(1, MAGNETS_SHOWN))
    templates = [(str(m.id), f"{m.keyword} — {m.resource_name}") for m in found.items]
    return page(
        request,
        "posts/editor.html",
        user,
        status=status,
        title="Edit post" if post else "New post",
        post=post,
        values=values,
        errors=errors,
        templates=templates,
        reactions=editor.REACTIONS,
        locked=post is not None and post.status in LOCKED_STATUSES,
        can_open=partial(may_open, user),
    )


def _first_day(month: str | None) -> date:
    if not month:
        today = utcnow().date()
        return date(today.year, today.month, 1)
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
