"""Exports: the files of leads written in the background (the leads table's current filter, or a
list), with signed download links; start one, watch it, download it, delete it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from leadhub.domains.exports import service as exports
from leadhub.domains.exports.schemas import UNFINISHED, ExportInfo
from leadhub.errors import InsufficientCredits, Invalid, NotFound
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.downloads import download_url
from leadhub.surfaces.web.render import page, path_for, redirect
from leadhub.surfaces.web.routes.lead_query import parse
from leadhub.surfaces.web.routes.settings_common import Posted, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash, require_scope

router = APIRouter(prefix="/exports")
ExportId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 25
# While a file is being written, the page reloads itself this often (no script needed).
REFRESH_SECONDS = 5


@router.get("", response_class=HTMLResponse, name="exports")
def list_exports(
    request: Request,
    user: CurrentUser,
    runtime: RuntimeDep,
    session: SessionDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The workspace's exports, newest first, with their download links."""
    principal = user.principal()
    require_scope(principal, "read:exports")
    found = exports.list_exports(session, principal, page=PageRequest(page_number, PER_PAGE))
    links = {info.id: download_url(runtime, info) for info in found.items}
    return page(
        request,
        "exports/index.html",
        user,
        title="Exports",
        exports=found,
        links=links,
        refresh=REFRESH_SECONDS if any(i.status in UNFINISHED for i in found.items) else None,
        may_write=principal.allows("write:exports"),
    )


@router.post("", dependencies=[Csrf], name="export_create")
def create_export(
    request: Request, user: CurrentUser, session: SessionDep, form: Posted
) -> Response:
    """Export the leads table's filter (`back`, its query string) or a list (`list_id`)."""
    principal = user.principal()
    require_scope(principal, "write:exports")
    back = parse(parse_qsl(text(form, "back")))
    list_id = _list_id(text(form, "list_id"))
    try:
        created = exports.create_export(
            session,
            principal,
            list_id=list_id,
            filters=None if list_id else back.filters,
            format=text(form, "format") or "csv",
        )
    except (InsufficientCredits, Invalid, NotFound) as exc:
        session.rollback()
        flash(request, _refusal(exc), "error")
        return _back(request, list_id, back.link())
    flash(request, _started(created))
    return redirect(request, "exports")


@router.post("/{export_id}/delete", dependencies=[Csrf], name="export_delete")
def delete_export(
    request: Request,
    user: CurrentUser,
    runtime: RuntimeDep,
    session: SessionDep,
    export_id: ExportId,
) -> Response:
    """Delete an export and its file."""
    principal = user.principal()
    require_scope(principal, "write:exports")
    found = exports.get_export(session, principal, export_id)
    exports.delete_export(session, principal, export_id, store=runtime.store)
    flash(request, f"The export “{found.filename}” is deleted.")
    return redirect(request, "exports")


def _list_id(value: str) -> int | None:
    number = int(value) if value.isdigit() and len(value) < 12 else 0
    return number if 1 <= number <= MAX_ID else None


def _started(created: ExportInfo) -> str:
    rows = f"{created.row_count:,} lead{'s' if created.row_count != 1 else ''}"
    paid = f", {created.credits_spent:,} credits spent" if created.credits_spent else ""
    return f"Exporting {rows} to {created.filename}{paid}. It is ready for download below shortly."


def _refusal(exc: InsufficientCredits | Invalid | NotFound) -> str:
    if isinstance(exc, Invalid) and exc.fields:
        return " ".join(message for messages in exc.fields.values() for message in messages)
    if isinstance(exc, InsufficientCredits):
        return f"Not exported: {exc.message} Add credits or narrow the filter."
    return exc.message


def _back(request: Request, list_id: int | None, leads_query: str) -> RedirectResponse:
    """Back where the export was asked for: the list's leads, or the leads table's view."""
    if list_id is not None:
        leads_query = f"?list_id={list_id}"
    return RedirectResponse(path_for(request, "leads") + leads_query, status_code=303)
