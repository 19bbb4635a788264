"""/api/v1/tags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.tags import service as tags
from leadhub.domains.tags.schemas import TagCreate, TagRead, TagUpdate
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/tags", tags=["Tags"], responses=ERROR_RESPONSES
)

ReadTags = Annotated[Principal, Depends(RequireScope("read:tags"))]
WriteTags = Annotated[Principal, Depends(RequireScope("write:tags"))]
DeleteTags = Annotated[Principal, Depends(RequireScope("delete:tags"))]
TagId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=PageEnvelope[TagRead])
def list_tags(
    request: Request, runtime: RuntimeDep, session: SessionDep, principal: ReadTags, page: PageQuery
) -> PageEnvelope[TagRead]:
    """List tags by name, with how many leads carry each."""
    return paginate(request, runtime, tags.list_tags(session, principal, page=page))


@router.post("", status_code=201, response_model=DataEnvelope[TagRead])
def create_tag(body: TagCreate, session: SessionDep, principal: WriteTags) -> DataEnvelope[TagRead]:
    """Create a tag."""
    return DataEnvelope(data=tags.create_tag(session, principal, data=body))


@router.get("/{tag_id}", response_model=DataEnvelope[TagRead])
def get_tag(tag_id: TagId, session: SessionDep, principal: ReadTags) -> DataEnvelope[TagRead]:
    """Get a tag."""
    return DataEnvelope(data=tags.get_tag(session, principal, tag_id))


@router.put("/{tag_id}", response_model=DataEnvelope[TagRead])
@router.patch("/{tag_id}", response_model=DataEnvelope[TagRead])
def update_tag(
    tag_id: TagId, body: TagUpdate, session: SessionDep, principal: WriteTags
) -> DataEnvelope[TagRead]:
    """Rename or recolour a tag; a rename shows on every lead."""
    return DataEnvelope(data=tags.update_tag(session, principal, tag_id, data=body))


@router.delete("/{tag_id}", status_code=204, response_class=Response)
def delete_tag(tag_id: TagId, session: SessionDep, principal: DeleteTags) -> Response:
    """Delete a tag; it comes off every lead."""
    tags.delete_tag(session, principal, tag_id)
    return Response(status_code=204)
