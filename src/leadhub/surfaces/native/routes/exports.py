"""/api/v1 exports and downloads: start an export of a list or of a lead filter, list the
files, fetch one, delete one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import ConfigDict, Field, model_validator

from leadhub.auth.principal import Principal
from leadhub.domains.exports import service as exports
from leadhub.domains.exports.schemas import ExportFormat, ExportInfo, ExportRead, ExportRequest
from leadhub.kit.pagination import Page
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.downloads import download_url, file_response
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.native.envelopes import (
    DataEnvelope,
    ErrorEnvelope,
    PageEnvelope,
    PageQuery,
    paginate,
)
from leadhub.surfaces.native.errors import ERROR_RESPONSES
from leadhub.surfaces.native.routes.leads import LeadListQuery

router = APIRouter(route_class=IdempotentRoute, tags=["Exports"], responses=ERROR_RESPONSES)

ReadExports = Annotated[Principal, Depends(RequireScope("read:exports"))]
# Leadsopedia names only read and write for downloads: write also deletes.
WriteExports = Annotated[Principal, Depends(RequireScope("write:exports"))]
ExportId = Annotated[int, Path(ge=1, le=MAX_ID)]
ListId = Annotated[int, Path(ge=1, le=MAX_ID)]
PAYMENT_REQUIRED: dict[int | str, dict[str, Any]] = {
    402: {
        "model": ErrorEnvelope,
        "description": "INSUFFICIENT_CREDITS: the credits left do not cover every row",
    }
}
# Paging and ordering of the lead list: an export holds every matching lead, in id order.
_VIEW_KEYS = ("page", "per_page", "sort", "direction")


class ExportFilter(LeadListQuery):
    """The lead list's filters (`GET /api/v1/leads` query parameters); a list of values is the
    same as commas. Unknown keys are refused, so a typo never exports every lead."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {
            key: ",".join(str(item) for item in value) if isinstance(value, list) else value
            for key, value in data.items()
            if key not in _VIEW_KEYS
        }


class FilterExportRequest(ExportRequest):
    filters: ExportFilter = Field(default_factory=ExportFilter)


@router.post(
    "/lists/{list_id}/exports",
    status_code=202,
    response_model=DataEnvelope[ExportRead],
    responses=PAYMENT_REQUIRED,
)
def export_list(
    list_id: ListId, session: SessionDep, principal: WriteExports, body: ExportRequest | None = None
) -> DataEnvelope[ExportRead]:
    """Export every lead of a list to a CSV or XLSX file (written by a background job).

    Spends `rows * the workspace's credit cost per row` at once; without enough credits the
    answer is 402 `INSUFFICIENT_CREDITS` and nothing is spent. The file shows in `/downloads`.
    """
    chosen: ExportFormat = body.format if body is not None else "csv"
    info = exports.create_export(session, principal, list_id=list_id, format=chosen)
    return DataEnvelope(data=ExportRead.of(info, None))


@router.post(
    "/exports",
    status_code=202,
    response_model=DataEnvelope[ExportRead],
    responses=PAYMENT_REQUIRED,
)
def export_leads(
    body: FilterExportRequest, session: SessionDep, principal: WriteExports
) -> DataEnvelope[ExportRead]:
    """Export the leads a filter matches (the lead list's filters) to a CSV or XLSX file.

    Credits are spent as for a list's export; the file shows in `/downloads`.
    """
    filters = body.filters.filters()
    info = exports.create_export(session, principal, filters=filters, format=body.format)
    return DataEnvelope(data=ExportRead.of(info, None))


@router.get("/downloads", response_model=PageEnvelope[ExportRead])
def list_downloads(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadExports,
    page: PageQuery,
) -> PageEnvelope[ExportRead]:
    """List the exports (downloads), newest first; `url` is a signed link that expires."""
    found = exports.list_exports(session, principal, page=page)
    items = [_read(runtime, info) for info in found.items]
    return paginate(request, runtime, Page(items=items, total=found.total, request=page))


@router.get("/downloads/{export_id}", response_model=DataEnvelope[ExportRead])
def get_download(
    export_id: ExportId, runtime: RuntimeDep, session: SessionDep, principal: ReadExports
) -> DataEnvelope[ExportRead]:
    """Get an export: its status, rows, credits spent and, once written, its signed `url`."""
    return DataEnvelope(data=_read(runtime, exports.get_export(session, principal, export_id)))


@router.get(
    "/downloads/{export_id}/file",
    response_class=StreamingResponse,
    responses={200: {"description": "The file, as an attachment."}},
)
def download_file(
    export_id: ExportId, runtime: RuntimeDep, session: SessionDep, principal: ReadExports
) -> StreamingResponse:
    """The export's file, with the key instead of a signed link (404 until it is written)."""
    found = exports.open_file(session, principal, export_id, store=runtime.store)
    return file_response(found)


@router.delete("/downloads/{export_id}", status_code=204, response_class=Response)
def delete_download(
    export_id: ExportId, runtime: RuntimeDep, session: SessionDep, principal: WriteExports
) -> Response:
    """Delete an export and its file (one deleted before its file was written is refunded)."""
    exports.delete_export(session, principal, export_id, store=runtime.store)
    return Response(status_code=204)


def _read(runtime: Runtime, info: ExportInfo) -> ExportRead:
    return ExportRead.of(info, download_url(runtime, info))
