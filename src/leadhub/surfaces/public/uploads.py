"""/uploads: the signed upload target (PUT, the token is the credential) and stored media (GET).

Bodies are streamed from the socket to the store in chunks, never held whole in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio.from_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from leadhub.domains.media import service as media
from leadhub.domains.media.schemas import StoredMedia
from leadhub.errors import RateLimited
from leadhub.kit.clock import isoformat, utcnow
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.forms import client_ip
from leadhub.surfaces.common.links import upload_links
from leadhub.surfaces.common.runtime import Runtime

router = APIRouter()

IMMUTABLE = "public, max-age=31536000, immutable"
# Types a browser shows without running anything in this origin (never SVG or HTML), named here
# rather than taken from what uploads accept, so a type added there is not shown inline unseen.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})
# PUTs per client address: the URL is the credential, this bounds what one address can try.
UPLOADS_PER_MINUTE = 60


@router.put("/{token}", include_in_schema=False)
async def put_upload(token: str, request: Request) -> Response:
    """Store the body under the signed token's path, if it is what the token allows."""
    runtime: Runtime = request.app.state.runtime
    budget = runtime.limiter.hit(f"upload-ip:{client_ip(request)}", UPLOADS_PER_MINUTE, seconds=60)
    if not budget.allowed:
        raise RateLimited(budget.retry_after, "Too many uploads from this address; retry later.")
    stored = await run_in_threadpool(
        media.accept_upload,
        runtime.db.unit_of_work,
        runtime.store,
        runtime.upload_signer,
        token,
        content_type=request.headers.get("content-type"),
        content_length=_content_length(request),
        body=_blocking(request.stream()),
        now=utcnow(),
    )
    public_url = upload_links(runtime.settings.effective_base_url, token, stored.path)["public_url"]
    body = {
        "status": "stored",
        "path": stored.path,
        "public_url": public_url,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "stored_at": isoformat(stored.stored_at),
    }
    return JSONResponse(
        body, status_code=201, headers={"Location": public_url, "ETag": _etag(stored)}
    )


@router.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def get_media(path: str, request: Request, runtime: RuntimeDep, session: SessionDep) -> Response:
    """The stored file, cacheable for good: its path never names other bytes."""
    found = media.open_public(session, runtime.store, path)
    stored = found.media
    media_type, disposition = _presentation(stored)
    headers = {
        "ETag": _etag(stored),
        "Cache-Control": IMMUTABLE,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'{disposition}; filename="{stored.filename}"',
    }
    if request.method == "HEAD" or _matches(request.headers.get("if-none-match"), stored):
        _close(found.chunks)
        status = 200 if request.method == "HEAD" else 304
        if status == 200:
            headers["Content-Length"] = str(stored.size)
        return Response(status_code=status, headers=headers, media_type=media_type)
    headers["Content-Length"] = str(stored.size)
    return StreamingResponse(found.chunks, media_type=media_type, headers=headers)


def _presentation(stored: StoredMedia) -> tuple[str, str]:
    """The type and disposition to serve: the types uploads accept (images, PDF, whose bytes were
    sniffed) are shown inline; anything else (HTML, SVG, unknown) is only ever downloaded."""
    if stored.content_type in INLINE_TYPES:
        return stored.content_type, "inline"
    return "application/octet-stream", "attachment"


def _blocking(stream: AsyncIterator[bytes]) -> Iterator[bytes]:
    """The request body's chunks for the worker thread, each fetched on the event loop."""

    async def next_chunk() -> bytes | None:
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return None

    while (chunk := anyio.from_thread.run(next_chunk)) is not None:
        if chunk:
            yield chunk


def _content_length(request: Request) -> int | None:
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def _etag(stored: StoredMedia) -> str:
    return f'"{stored.sha256}"'


def _matches(header: str | None, stored: StoredMedia) -> bool:
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or _etag(stored) in tags


def _close(chunks: Iterator[bytes]) -> None:
    close = getattr(chunks, "close", None)
    if callable(close):
        close()
