"""Settings → Tags: create, rename, recolour and delete the labels put on leads (members too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.domains.tags import service as tags
from leadhub.domains.tags.schemas import TagCreate, TagRead, TagUpdate
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, settings_page, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter(prefix="/settings/tags")
TagId = Annotated[int, Path(ge=1, le=MAX_ID)]
SECTION = "settings_tags"
PER_PAGE = 100
NEW_TAG_COLOR = "#2f5bea"
NO_COLOR_SHOWN = "#94a3b8"  # what the colour picker shows for a tag without a colour


@router.get("", response_class=HTMLResponse, name="settings_tags")
def list_tags(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The workspace's tags, with how many leads carry each."""
    values = {"name": "", "color": NEW_TAG_COLOR}
    return _list(request, user, session, page, values, {})


@router.post("", dependencies=[Csrf], name="settings_tag_create")
def create_tag(request: Request, user: CurrentUser, session: SessionDep, form: Posted) -> Response:
    """Create a tag."""
    values = {"name": text(form, "name").strip(), "color": text(form, "color").strip()}
    try:
        created = tags.create_tag(
            session, user.principal(), data=parse_form(TagCreate, _data(values), required=["name"])
        )
    except Invalid as exc:
        session.rollback()
        return _list(request, user, session, 1, values, exc.fields, status=422)
    flash(request, f"The tag “{created.name}” is created.")
    return redirect(request, "settings_tags")


@router.get("/{tag_id}", response_class=HTMLResponse, name="settings_tag_edit")
def edit_tag(
    request: Request, user: CurrentUser, session: SessionDep, tag_id: TagId
) -> HTMLResponse:
    """The form to rename or recolour a tag."""
    tag = tags.get_tag(session, user.principal(), tag_id)
    values = {"name": tag.name, "color": tag.color or NO_COLOR_SHOWN, "no_color": tag.color is None}
    return _edit(request, user, tag, values, {})


@router.post("/{tag_id}", dependencies=[Csrf], name="settings_tag_update")
def update_tag(
    request: Request, user: CurrentUser, session: SessionDep, tag_id: TagId, form: Posted
) -> Response:
    """Rename or recolour a tag; the new name shows on every lead."""
    no_color = text(form, "no_color") == "1"
    values = {"name": text(form, "name").strip(), "color": text(form, "color").strip()}
    data = {**_data(values), "color": None} if no_color else _data(values)
    try:
        changed = tags.update_tag(
            session, user.principal(), tag_id, data=parse_form(TagUpdate, data, required=["name"])
        )
    except Invalid as exc:
        session.rollback()
        tag = tags.get_tag(session, user.principal(), tag_id)
        return _edit(request, user, tag, {**values, "no_color": no_color}, exc.fields, status=422)
    flash(request, f"The tag “{changed.name}” is saved.")
    return redirect(request, "settings_tags")


@router.post("/{tag_id}/delete", dependencies=[Csrf], name="settings_tag_delete")
def delete_tag(request: Request, user: CurrentUser, session: SessionDep, tag_id: TagId) -> Response:
    """Delete a tag; it comes off every lead."""
    tag = tags.get_tag(session, user.principal(), tag_id)
    tags.delete_tag(session, user.principal(), tag_id)
    flash(request, f"The tag “{tag.name}” is deleted.")
    return redirect(request, "settings_tags")


def _data(values: dict[str, str]) -> dict[str, str | None]:
    """The service's input: a blank name stays blank (so it is refused), no colour is None."""
    return {"name": values["name"], "color": values["color"] or None}


def _list(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    page: int,
    values: dict[str, str],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    found = tags.list_tags(session, user.principal(), page=PageRequest(page, PER_PAGE))
    return settings_page(
        request,
        "settings/tags.html",
        user,
        section=SECTION,
        status=status,
        tags=found,
        values=values,
        errors=errors,
    )


def _edit(
    request: Request,
    user: CurrentUser,
    tag: TagRead,
    values: dict[str, object],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    return settings_page(
        request,
        "settings/tag_edit.html",
        user,
        section=SECTION,
        status=status,
        tag=tag,
        values=values,
        errors=errors,
    )
