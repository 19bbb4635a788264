"""/api/v1/media: signed upload URLs for images and PDFs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from leadhub.auth.principal import Principal
from leadhub.domains.media import service as media
from leadhub.domains.media.schemas import UploadRequest
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.common.links import upload_links
from leadhub.surfaces.native.envelopes import DataEnvelope
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/media", tags=["Media"], responses=ERROR_RESPONSES
)

WriteMedia = Annotated[Principal, Depends(RequireScope("write:media"))]


class UploadUrlRead(BaseModel):
    upload_url: str
    token: str
    path: str
    public_url: str
    bucket: str
    content_type: str
    expires_at: datetime


@router.post("/upload-url", status_code=201, response_model=DataEnvelope[UploadUrlRead])
def create_upload_url(
    body: UploadRequest, runtime: RuntimeDep, session: SessionDep, principal: WriteMedia
) -> DataEnvelope[UploadUrlRead]:
    """Get a short-lived URL to PUT one image (JPEG, PNG, GIF, WebP; up to 5 MB) or PDF (up to
    15 MB) with its declared Content-Type; `public_url` serves it afterwards."""
    ticket = media.create_upload(
        session,
        principal,
        data=body,
        signer=runtime.upload_signer,
        ttl_seconds=runtime.settings.upload_url_ttl,
    )
    links = upload_links(runtime.settings.effective_base_url, ticket.token, ticket.path)
    return DataEnvelope(
        data=UploadUrlRead(
            upload_url=links["upload_url"],
            token=ticket.token,
            path=ticket.path,
            public_url=links["public_url"],
            bucket=runtime.store.name,
            content_type=ticket.content_type,
            expires_at=ticket.expires_at,
        )
    )
