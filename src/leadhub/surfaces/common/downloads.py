"""Signed, expiring links to export files, and the response that streams one."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from urllib.parse import quote

from fastapi.responses import StreamingResponse

from leadhub.domains.exports.downloads import SIGNER_PURPOSE, download_token
from leadhub.domains.exports.schemas import ExportFile, ExportInfo
from leadhub.kit.clock import utcnow
from leadhub.kit.signed import TokenSigner
from leadhub.surfaces.common.runtime import Runtime

DOWNLOADS_PATH = "/downloads"


def download_signer(runtime: Runtime) -> TokenSigner:
    return _signer(runtime.settings.effective_secret_key())


@lru_cache(maxsize=8)
def _signer(secret_key: str) -> TokenSigner:
    return TokenSigner(secret_key, purpose=SIGNER_PURPOSE)


def download_url(runtime: Runtime, info: ExportInfo) -> str | None:
    """An absolute link to the export's file, valid LEADHUB_DOWNLOAD_URL_TTL seconds; None
    until the file is written."""
    if not info.ready:
        return None
    settings = runtime.settings
    expires_at = utcnow() + timedelta(seconds=settings.download_url_ttl)
    token = download_token(download_signer(runtime), info.uuid, expires_at=expires_at)
    path = f"{DOWNLOADS_PATH}/{info.uuid}/{quote(info.filename)}"
    return f"{settings.effective_base_url}{path}?token={quote(token, safe='')}"


def file_response(found: ExportFile) -> StreamingResponse:
    """The file as an attachment that no cache keeps."""
    headers = {
        "Content-Disposition": f'attachment; filename="{found.filename}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if found.size is not None:
        headers["Content-Length"] = str(found.size)
    return StreamingResponse(found.chunks, media_type=found.content_type, headers=headers)
