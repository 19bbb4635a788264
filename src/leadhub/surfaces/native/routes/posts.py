"""/api/v1/posts: drafts and scheduled posts, the publisher setting, and engagement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from leadhub.auth.principal import Principal
from leadhub.domains.posts import service as posts
from leadhub.domains.posts.schemas import (
    EngagementRead,
    EngagementRecord,
    PostCreate,
    PostRead,
    PostSettings,
    PostSettingsRead,
    PostStatus,
    PostUpdate,
)
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/posts", tags=["Posts"], responses=ERROR_RESPONSES
)

ReadPosts = Annotated[Principal, Depends(RequireScope("read:posts"))]
WritePosts = Annotated[Principal, Depends(RequireScope("write:posts"))]
DeletePosts = Annotated[Principal, Depends(RequireScope("delete:posts"))]
ReadAnalytics = Annotated[Principal, Depends(RequireScope("read:analytics"))]
PostId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=PageEnvelope[PostRead])
def list_posts(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadPosts,
    page: PageQuery,
    status: Annotated[PostStatus | None, Query(description="Only posts in this status.")] = None,
) -> PageEnvelope[PostRead]:
    """List posts, oldest first, optionally in one status."""
    result = posts.list_posts(session, principal, page=page, status=status)
    return paginate(request, runtime, result)


@router.post("", status_code=201, response_model=DataEnvelope[PostRead])
def create_post(
    body: PostCreate, session: SessionDep, principal: WritePosts
) -> DataEnvelope[PostRead]:
    """Create a draft, or schedule a post (`status: scheduled`, a future `scheduled_at`)."""
    return DataEnvelope(data=posts.create_post(session, principal, data=body))


@router.get("/settings", response_model=DataEnvelope[PostSettingsRead])
def get_settings(session: SessionDep, principal: ReadPosts) -> DataEnvelope[PostSettingsRead]:
    """How the workspace's scheduled posts are published (`webhook` or `manual`)."""
    return DataEnvelope(data=posts.get_settings(session, principal))


@router.put("/settings", response_model=DataEnvelope[PostSettingsRead])
@router.patch("/settings", response_model=DataEnvelope[PostSettingsRead])
def update_settings(
    body: PostSettings, session: SessionDep, principal: WritePosts
) -> DataEnvelope[PostSettingsRead]:
    """Choose how the workspace's scheduled posts are published."""
    return DataEnvelope(data=posts.update_settings(session, principal, data=body))


@router.get("/{post_id}", response_model=DataEnvelope[PostRead])
def get_post(post_id: PostId, session: SessionDep, principal: ReadPosts) -> DataEnvelope[PostRead]:
    """Get a post with its follow-ups and their schedule."""
    return DataEnvelope(data=posts.get_post(session, principal, post_id))


@router.put("/{post_id}", response_model=DataEnvelope[PostRead])
@router.patch("/{post_id}", response_model=DataEnvelope[PostRead])
def update_post(
    post_id: PostId, body: PostUpdate, session: SessionDep, principal: WritePosts
) -> DataEnvelope[PostRead]:
    """Change a post; only the fields sent change. A published post takes only `notes`."""
    return DataEnvelope(data=posts.update_post(session, principal, post_id, data=body))


@router.delete("/{post_id}", status_code=204, response_class=Response)
def delete_post(post_id: PostId, session: SessionDep, principal: DeletePosts) -> Response:
    """Delete a post and its follow-ups (a pending publication is called off)."""
    posts.delete_post(session, principal, post_id)
    return Response(status_code=204)


@router.post("/{post_id}/engagement", response_model=DataEnvelope[EngagementRead])
def record_engagement(
    post_id: PostId, body: EngagementRecord, session: SessionDep, principal: WritePosts
) -> DataEnvelope[EngagementRead]:
    """Record a published post's counts seen on the network (only those sent change), and its
    `published_url` if LeadHub does not know it."""
    return DataEnvelope(data=posts.record_engagement(session, principal, post_id, data=body))


@router.get("/{post_id}/engagement", response_model=DataEnvelope[EngagementRead])
def get_engagement(
    post_id: PostId, session: SessionDep, principal: ReadAnalytics
) -> DataEnvelope[EngagementRead]:
    """A post's `published_url` and its impressions, reactions, comments and reposts."""
    return DataEnvelope(data=posts.engagement(session, principal, post_id))
