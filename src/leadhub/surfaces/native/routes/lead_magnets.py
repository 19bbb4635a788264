"""/api/v1/lead-magnets: CRUD, and each magnet's analytics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.lead_magnets import analytics
from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.lead_magnets.schemas import (
    HOSTED_MODES,
    MagnetAnalytics,
    MagnetCreate,
    MagnetRead,
    MagnetUpdate,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.common.links import magnet_page_url
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute,
    prefix="/lead-magnets",
    tags=["Lead magnets"],
    responses=ERROR_RESPONSES,
)

ReadMagnets = Annotated[Principal, Depends(RequireScope("read:lead_magnets"))]
WriteMagnets = Annotated[Principal, Depends(RequireScope("write:lead_magnets"))]
DeleteMagnets = Annotated[Principal, Depends(RequireScope("delete:lead_magnets"))]
ReadAnalytics = Annotated[Principal, Depends(RequireScope("read:analytics"))]
MagnetId = Annotated[int, Path(ge=1, le=MAX_ID)]


class MagnetOut(MagnetRead):
    page_url: str | None
    resource_link: str | None


def _out(runtime: RuntimeDep, magnet: MagnetRead) -> MagnetOut:
    """The magnet with its page's public URL and the link `{{resource_link}}` stands for."""
    page = magnet.hosted_page
    page_url = magnet_page_url(runtime.settings.effective_base_url, page.slug) if page else None
    if magnet.delivery_mode in HOSTED_MODES:
        link = page_url
    else:
        link = magnet.external_resource_url or (page.external_resource_url if page else None)
    return MagnetOut(**magnet.model_dump(), page_url=page_url, resource_link=link)


@router.get("", response_model=PageEnvelope[MagnetOut])
def list_magnets(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadMagnets,
    page: PageQuery,
) -> PageEnvelope[MagnetOut]:
    """List lead magnets, oldest first, with their hosted pages."""
    result = magnets.list_magnets(session, principal, page=page)
    envelope = paginate(request, runtime, result)
    return PageEnvelope(
        data=[_out(runtime, magnet) for magnet in result.items],
        meta=envelope.meta,
        links=envelope.links,
    )


@router.post("", status_code=201, response_model=DataEnvelope[MagnetOut])
def create_magnet(
    body: MagnetCreate, runtime: RuntimeDep, session: SessionDep, principal: WriteMagnets
) -> DataEnvelope[MagnetOut]:
    """Create a lead magnet (`hosted_content`, `gated` or `external_link`) with its hosted page."""
    return DataEnvelope(data=_out(runtime, magnets.create_magnet(session, principal, data=body)))


@router.get("/{magnet_id}", response_model=DataEnvelope[MagnetOut])
def get_magnet(
    magnet_id: MagnetId, runtime: RuntimeDep, session: SessionDep, principal: ReadMagnets
) -> DataEnvelope[MagnetOut]:
    """Get a lead magnet with its hosted page."""
    return DataEnvelope(data=_out(runtime, magnets.get_magnet(session, principal, magnet_id)))


@router.put("/{magnet_id}", response_model=DataEnvelope[MagnetOut])
@router.patch("/{magnet_id}", response_model=DataEnvelope[MagnetOut])
def update_magnet(
    magnet_id: MagnetId,
    body: MagnetUpdate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteMagnets,
) -> DataEnvelope[MagnetOut]:
    """Change a lead magnet; only the fields sent change (`hosted_page: null` removes the page)."""
    updated = magnets.update_magnet(session, principal, magnet_id, data=body)
    return DataEnvelope(data=_out(runtime, updated))


@router.delete("/{magnet_id}", status_code=204, response_class=Response)
def delete_magnet(magnet_id: MagnetId, session: SessionDep, principal: DeleteMagnets) -> Response:
    """Delete a lead magnet, its hosted page, its counts and captures (the leads stay)."""
    magnets.delete_magnet(session, principal, magnet_id)
    return Response(status_code=204)


@router.get("/{magnet_id}/analytics", response_model=DataEnvelope[MagnetAnalytics])
def magnet_analytics(
    magnet_id: MagnetId,
    session: SessionDep,
    principal: ReadAnalytics,
    limit: Annotated[
        int, Query(ge=1, description="Recent captures per page (clamped to 100).")
    ] = analytics.DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> DataEnvelope[MagnetAnalytics]:
    """A lead magnet's page views, unique visitors, unlocks, conversion rate, clicks and
    captures, with its recent captures (newest first, `limit`/`offset`)."""
    return DataEnvelope(
        data=analytics.magnet_analytics(session, principal, magnet_id, limit=limit, offset=offset)
    )
