"""Lead magnets: the list, the editor (create and edit) with a live preview of the hosted page's
Markdown, and delete. Each magnet's analytics are in lead_magnet_analytics.py."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.domains.lead_magnets import analytics
from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.lead_magnets.schemas import MagnetCreate, MagnetRead, MagnetUpdate
from leadhub.errors import Invalid
from leadhub.kit.markdown import to_safe_html
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.links import magnet_page_url
from leadhub.surfaces.web.render import may_open, page, redirect
from leadhub.surfaces.web.routes import lead_magnet_form as editor
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter(prefix="/lead-magnets")

MagnetId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 25
REQUIRED = ("keyword", "resource_name")
# The page's own limit: a longer text is previewed as far as it could be saved.
MAX_MARKDOWN = 200_000
PREVIEW = "preview"


@router.get("", response_class=HTMLResponse, name="lead_magnets")
def list_magnets(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The workspace's lead magnets, with their pages and how many leads each captured."""
    principal = user.principal()
    found = magnets.list_magnets(session, principal, page=PageRequest(page_number, PER_PAGE))
    captures = analytics.capture_counts(session, principal, [item.id for item in found.items])
    base = runtime.settings.effective_base_url
    links = {
        item.id: magnet_page_url(base, item.hosted_page.slug)
        for item in found.items
        if item.hosted_page is not None and item.hosted_page.status == "published"
    }
    return page(
        request,
        "lead_magnets/index.html",
        user,
        title="Lead magnets",
        magnets=found,
        captures=captures,
        links=links,
        modes=editor.MODE_LABELS,
        can_open=partial(may_open, user),
    )


@router.get("/new", response_class=HTMLResponse, name="lead_magnet_new")
def new_magnet(request: Request, user: CurrentUser, runtime: RuntimeDep) -> HTMLResponse:
    """An empty editor."""
    return _editor(request, user, runtime, None, editor.blank_values())


@router.post("/new", dependencies=[Csrf], name="lead_magnet_create")
def create_magnet(
    request: Request, user: CurrentUser, session: SessionDep, runtime: RuntimeDep, form: Posted
) -> Response:
    """Save a new lead magnet (or, with the Preview button, show the page's preview)."""
    values = editor.values_from(form)
    if text(form, "action") == PREVIEW:
        return _editor(request, user, runtime, None, values, preview=True)
    try:
        data = parse_form(MagnetCreate, editor.data_of(values), required=REQUIRED)
        created = magnets.create_magnet(session, user.principal(), data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        errors = editor.place_errors(exc.fields)
        return _editor(request, user, runtime, None, values, errors)
    flash(request, f"Lead magnet “{created.keyword}” created.")
    return redirect(request, "lead_magnet_edit", magnet_id=created.id)


@router.get("/{magnet_id}/edit", response_class=HTMLResponse, name="lead_magnet_edit")
def edit_magnet(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    magnet_id: MagnetId,
) -> HTMLResponse:
    """The editor for a saved lead magnet."""
    magnet = magnets.get_magnet(session, user.principal(), magnet_id)
    return _editor(request, user, runtime, magnet, editor.values_of(magnet))


@router.post("/{magnet_id}/edit", dependencies=[Csrf], name="lead_magnet_update")
def update_magnet(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    magnet_id: MagnetId,
    form: Posted,
) -> Response:
    """Save the editor's changes (every field, as the API's PUT)."""
    principal = user.principal()
    magnet = magnets.get_magnet(session, principal, magnet_id)
    values = editor.values_from(form)
    if text(form, "action") == PREVIEW:
        return _editor(request, user, runtime, magnet, values, preview=True)
    try:
        data = parse_form(MagnetUpdate, editor.data_of(values), required=REQUIRED)
        saved = magnets.update_magnet(session, principal, magnet_id, data=data)
    except Invalid as exc:
        session.rollback()  # nothing half-written is committed
        errors = editor.place_errors(exc.fields)
        return _editor(request, user, runtime, magnet, values, errors)
    flash(request, f"Lead magnet “{saved.keyword}” saved.")
    return redirect(request, "lead_magnet_edit", magnet_id=magnet_id)


@router.post("/{magnet_id}/delete", dependencies=[Csrf], name="lead_magnet_delete")
def delete_magnet(
    request: Request, user: CurrentUser, session: SessionDep, magnet_id: MagnetId
) -> Response:
    """Delete a lead magnet with its page, counts and captures (the leads stay)."""
    principal = user.principal()
    magnet = magnets.get_magnet(session, principal, magnet_id)
    magnets.delete_magnet(session, principal, magnet_id)
    flash(request, f"Lead magnet “{magnet.keyword}” deleted. Its leads are kept.")
    return redirect(request, "lead_magnets")


@router.post("/preview", dependencies=[Csrf], name="lead_magnet_preview")
def preview(user: CurrentUser, form: Posted) -> HTMLResponse:
    """The Markdown as the hosted page shows it: CommonMark without raw HTML, sanitised."""
    # `user` is unused but required: only someone signed in (and, acting, allowed to write
    # lead magnets) may use the renderer.
    markdown = text(form, "markdown")[:MAX_MARKDOWN]
    return HTMLResponse(to_safe_html(markdown), headers={"Cache-Control": "no-store"})


def _editor(
    request: Request,
    user: CurrentUser,
    runtime: RuntimeDep,
    magnet: MagnetRead | None,
    values: editor.Values,
    errors: dict[str, list[str]] | None = None,
    *,
    preview: bool = False,
) -> HTMLResponse:
    markdown = str(values.get("page_markdown_content") or "")[:MAX_MARKDOWN]
    page_ = magnet.hosted_page if magnet else None
    return page(
        request,
        "lead_magnets/editor.html",
        user,
        status=422 if errors else 200,
        title=f"Edit {magnet.keyword}" if magnet else "New lead magnet",
        magnet=magnet,
        values=values,
        errors=errors or {},
        preview_html=to_safe_html(markdown),
        previewed=preview,
        page_url=(
            magnet_page_url(runtime.settings.effective_base_url, page_.slug) if page_ else None
        ),
        delivery_options=editor.DELIVERY_OPTIONS,
        status_options=editor.STATUS_OPTIONS,
        can_open=partial(may_open, user),
    )
