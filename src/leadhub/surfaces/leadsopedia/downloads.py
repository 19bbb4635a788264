"""Leadsopedia's downloads (export files), at /downloads and at /mydownloads alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.exports import service as exports
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.downloads import download_url
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.leadsopedia import translate
from leadhub.surfaces.leadsopedia.errors import ERROR_RESPONSES
from leadhub.surfaces.leadsopedia.paging import PageDep, page_fields
from leadhub.surfaces.leadsopedia.schemas import LeadsopediaDownload, LeadsopediaDownloads

ReadExports = Annotated[Principal, Depends(RequireScope("read:exports"))]
WriteExports = Annotated[Principal, Depends(RequireScope("write:exports"))]
DownloadId = Annotated[int, Path(ge=1, le=MAX_ID)]

# The document names both /downloads and /mydownloads: the app mounts this router at each.
PREFIXES = ("/downloads", "/mydownloads")
router = APIRouter(route_class=ThreadedRoute, tags=["Leadsopedia"], responses=ERROR_RESPONSES)


@router.get("", response_model=LeadsopediaDownloads, summary="Downloads")
def get_downloads(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadExports,
    page: PageDep,
) -> LeadsopediaDownloads:
    """Every download (export file) of the account, newest first."""
    found = exports.list_exports(session, principal, page=page)
    return LeadsopediaDownloads(
        downloads=[
            translate.download_out(info, download_url(runtime, info)) for info in found.items
        ],
        **page_fields(request, runtime, found),
    )


@router.get("/{download_id}", response_model=LeadsopediaDownload, summary="Download (By ID)")
def get_download(
    download_id: DownloadId, runtime: RuntimeDep, session: SessionDep, principal: ReadExports
) -> LeadsopediaDownload:
    """One download; its `url` is signed and expires (null until the file is written)."""
    info = exports.get_export(session, principal, download_id)
    return translate.download_out(info, download_url(runtime, info))


@router.delete(
    "/{download_id}", status_code=204, response_class=Response, summary="Delete Download"
)
def delete_download(
    download_id: DownloadId, runtime: RuntimeDep, session: SessionDep, principal: WriteExports
) -> Response:
    """Delete a download and its file."""
    exports.delete_export(session, principal, download_id, store=runtime.store)
    return Response(status_code=204)
