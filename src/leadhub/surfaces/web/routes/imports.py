"""Imports: past imports, and the wizard: upload a file into a list → map its columns (with a
preview) → start → follow the progress (the page reloads itself while the import runs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from leadhub.domains.imports import service as imports
from leadhub.domains.imports.schemas import ImportOptions, ImportRead
from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid, PayloadTooLarge
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.routes import list_support
from leadhub.surfaces.web.routes.import_mapping import field_choices, mapping_page
from leadhub.surfaces.web.routes.settings_common import Posted, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash, require_scope

router = APIRouter(prefix="/imports")
ImportId = Annotated[int, Path(ge=1, le=MAX_ID)]
PER_PAGE = 25
REFRESH_SECONDS = 2
RUNNING = ("pending", "running")
NEW_LIST = "new"


@router.get("", response_class=HTMLResponse, name="imports")
def list_imports(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Past imports with their status and counts."""
    principal = user.principal()
    require_scope(principal, "read:leads")
    found = imports.list_imports(session, principal, page=PageRequest(page_number, PER_PAGE))
    names = {item.id: item.name for item in list_support.options(session, principal)}
    return page(
        request,
        "imports/index.html",
        user,
        result=found,
        list_names=names,
        can_import=principal.allows("write:leads"),
    )


@router.get("/new", response_class=HTMLResponse, name="import_new")
def new_import(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    """Step 1: the file and the list it goes into."""
    require_scope(user.principal(), "write:leads")
    return _upload_page(request, user, session, {"list_id": NEW_LIST, "list_name": ""}, {})


@router.post("", dependencies=[Csrf], name="import_upload")
def upload(
    request: Request, user: CurrentUser, session: SessionDep, runtime: RuntimeDep, form: Posted
) -> Response:
    """Keep the uploaded file and go on to its mapping."""
    principal = user.principal()
    require_scope(principal, "write:leads")
    values = {"list_id": text(form, "list_id") or NEW_LIST, "list_name": text(form, "list_name")}
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise Invalid.field("file", "Choose a CSV or XLSX file.")
        created = imports.create_import(
            session,
            principal,
            upload=file.file,
            filename=file.filename,
            options=_options(values),
            store=runtime.store,
            max_bytes=runtime.settings.import_max_bytes,
            start=False,
        )
    except PayloadTooLarge as exc:
        session.rollback()
        return _upload_page(request, user, session, values, {"file": [exc.message]}, status=413)
    except Invalid as exc:
        session.rollback()
        return _upload_page(request, user, session, values, exc.fields, status=422)
    return redirect(request, "import_mapping", import_id=created.id)


@router.get("/{import_id}/mapping", response_class=HTMLResponse, name="import_mapping")
def mapping(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    import_id: ImportId,
) -> Response:
    """Step 2: each column's field (guessed, editable), the first rows, duplicate handling."""
    require_scope(user.principal(), "write:leads")
    found = imports.get_import(session, user.principal(), import_id)
    if found.status != imports.DRAFT:
        return redirect(request, "import_show", import_id=import_id)
    preview = imports.preview(session, user.principal(), import_id, store=runtime.store)
    return mapping_page(request, user, found, preview, preview.mapping, found.on_duplicate, {})


@router.post("/{import_id}/start", dependencies=[Csrf], name="import_start")
def start(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    import_id: ImportId,
    form: Posted,
) -> Response:
    """Step 3: start the import with the chosen mapping."""
    principal = user.principal()
    require_scope(principal, "write:leads")
    found = imports.get_import(session, principal, import_id)
    if found.status != imports.DRAFT:
        return redirect(request, "import_show", import_id=import_id)
    preview = imports.preview(session, principal, import_id, store=runtime.store)
    chosen = _chosen(form, preview.headers)
    on_duplicate = text(form, "on_duplicate") or "update"
    try:
        imports.start_import(
            session,
            principal,
            import_id,
            mapping=chosen,
            on_duplicate=on_duplicate,
            store=runtime.store,
        )
    except Invalid as exc:
        session.rollback()
        return mapping_page(
            request, user, found, preview, chosen, on_duplicate, exc.fields, status=422
        )
    flash(request, f"The import of {found.filename} has started.")
    return redirect(request, "import_show", import_id=import_id)


@router.get("/{import_id}", response_class=HTMLResponse, name="import_show")
def show(
    request: Request, user: CurrentUser, session: SessionDep, import_id: ImportId
) -> HTMLResponse:
    """Step 4: progress and counts, and the failed rows' lines and reasons."""
    principal = user.principal()
    require_scope(principal, "read:leads")
    found = imports.get_import(session, principal, import_id)
    names = {item.id: item.name for item in list_support.options(session, principal)}
    return page(
        request,
        "imports/show.html",
        user,
        item=found,
        list_name=names.get(found.list_id or 0),
        refresh_seconds=REFRESH_SECONDS if found.status in RUNNING else None,
        percent=_percent(found),
        labels=dict(field_choices()),
    )


def _options(values: dict[str, str]) -> ImportOptions:
    chosen = values["list_id"]
    if chosen != NEW_LIST and chosen.isdigit() and len(chosen) < 12:
        return ImportOptions(list_id=int(chosen))
    return ImportOptions(list_name=values["list_name"].strip() or None)


def _chosen(form: FormData, headers: list[str]) -> dict[str, str]:
    """Column `i`'s target is posted as `map-i` (headers may hold any character)."""
    return {header: text(form, f"map-{index}") for index, header in enumerate(headers)}


def _percent(found: ImportRead) -> int | None:
    if found.status == "done":
        return 100
    if not found.total_rows:
        return None
    return min(100, round(100 * found.processed_rows / found.total_rows))


def _upload_page(
    request: Request,
    user: Membership,
    session: SessionDep,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "imports/new.html",
        user,
        status=status,
        values=values,
        errors=errors,
        lists=list_support.options(session, user.principal()),
        new_list=NEW_LIST,
    )
