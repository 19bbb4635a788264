"""/downloads: export files behind signed, expiring links (the link is the credential).

A bad or tampered token answers 403, an expired one 403 too (ask for a new link), an export that
is gone or not written yet 404; errors are small HTML pages, as a browser opens these links.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadhub.domains.exports import downloads
from leadhub.errors import LeadHubError
from leadhub.kit.clock import utcnow
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.downloads import download_signer, file_response
from leadhub.surfaces.common.errors import status_of
from leadhub.surfaces.public.pages import message

router = APIRouter()
_NOT_FOUND = ("Not found", "This file does not exist or is no longer available.")


@router.get("/{export_uuid}/{filename}", include_in_schema=False)
def download(
    export_uuid: str,
    filename: str,
    runtime: RuntimeDep,
    session: SessionDep,
    token: Annotated[str, Query(max_length=500)] = "",
) -> StreamingResponse:
    """The export's file, when the token is this export's and has not expired."""
    found = downloads.open_signed(
        session,
        download_signer(runtime),
        export_uuid=export_uuid,
        filename=filename,
        token=token,
        now=utcnow(),
        store=runtime.store,
    )
    return file_response(found)


def install(app: FastAPI) -> None:
    """Errors as small pages with the domain error's status (403 for a link that is not valid)."""

    @app.exception_handler(LeadHubError)
    async def _domain(request: Request, exc: LeadHubError) -> HTMLResponse:
        status = status_of(exc, invalid=400) or 500
        if status == 404:
            return message(request, *_NOT_FOUND, 404)
        if status == 500:
            return message(request, "Something went wrong", "Please try again in a moment.", 500)
        return message(request, "Sorry", exc.message, status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, _exc: RequestValidationError) -> HTMLResponse:
        return message(request, "Sorry", "The download link is not valid.", 403)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == 404:
            return message(request, *_NOT_FOUND, 404)
        return message(request, "Sorry", str(exc.detail), exc.status_code)
