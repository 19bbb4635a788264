"""/api/v1/imports: CSV and XLSX files of leads, read into a list as a job."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile

from leadhub.auth.principal import Principal
from leadhub.domains.imports import service as imports
from leadhub.domains.imports.schemas import ImportOptions, ImportRead
from leadhub.errors import Invalid
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import (
    DataEnvelope,
    ErrorEnvelope,
    PageEnvelope,
    PageQuery,
    paginate,
)
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute,
    prefix="/imports",
    tags=["Imports"],
    responses={
        **ERROR_RESPONSES,
        413: {"model": ErrorEnvelope, "description": "PAYLOAD_TOO_LARGE: the file is too large"},
        415: {
            "model": ErrorEnvelope,
            "description": "UNSUPPORTED_MEDIA_TYPE: the body is not multipart/form-data",
        },
    },
)

ReadLeads = Annotated[Principal, Depends(RequireScope("read:leads"))]
WriteLeads = Annotated[Principal, Depends(RequireScope("write:leads"))]
ImportId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("", status_code=202, response_model=DataEnvelope[ImportRead])
def create_import(
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteLeads,
    file: Annotated[UploadFile | None, File(description="A CSV or XLSX file.")] = None,
    mapping: Annotated[
        str | None,
        Form(description='JSON object of column header → lead field, e.g. {"E-mail": "email"}.'),
    ] = None,
    list_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    list_name: Annotated[str | None, Form(max_length=200)] = None,
    on_duplicate: Annotated[str, Form(description="update or skip")] = "update",
    source: Annotated[str | None, Form(max_length=50)] = None,
) -> DataEnvelope[ImportRead]:
    """Upload a CSV or XLSX file of leads; the import runs as a job (follow it with GET).

    The mapping is guessed from the headers; `mapping` overrides columns (`""` skips one,
    `custom_fields.<key>` keeps it as a custom field). Rows go into the list `list_id`, or the
    list `list_name` (created when missing), or a list named after the file.
    """
    if file is None or not file.filename:
        raise Invalid.field("file", "The file field is required.")
    options = ImportOptions(
        list_id=list_id,
        list_name=list_name,
        mapping=_mapping(mapping),
        on_duplicate=on_duplicate,
        source=source,
    )
    created = imports.create_import(
        session,
        principal,
        upload=file.file,
        filename=file.filename,
        options=options,
        store=runtime.store,
        max_bytes=runtime.settings.import_max_bytes,
    )
    return DataEnvelope(data=created)


@router.get("", response_model=PageEnvelope[ImportRead])
def list_imports(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadLeads,
    page: PageQuery,
) -> PageEnvelope[ImportRead]:
    """List the workspace's imports, newest first."""
    return paginate(request, runtime, imports.list_imports(session, principal, page=page))


@router.get("/{import_id}", response_model=DataEnvelope[ImportRead])
def get_import(
    import_id: ImportId, session: SessionDep, principal: ReadLeads
) -> DataEnvelope[ImportRead]:
    """Get an import: status, rows processed, created/updated/skipped/failed counts and the
    failed rows' lines and reasons."""
    return DataEnvelope(data=imports.get_import(session, principal, import_id))


def _mapping(raw: str | None) -> dict[str, str] | None:
    if raw is None or not raw.strip():
        return None
    try:
        parsed: Any = json.loads(raw)
    except ValueError:
        raise Invalid.field("mapping", "The mapping must be a JSON object.") from None
    if not isinstance(parsed, dict):
        raise Invalid.field("mapping", "The mapping must be a JSON object.")
    return parsed
