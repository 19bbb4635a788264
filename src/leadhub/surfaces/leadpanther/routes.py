"""LeadPanther's API v1 routes, in its names and shapes.

`account_router` holds /me and /clients; `workspace_router` holds the workspace routes, served
directly and, for an agency through its grant, under /clients/{clientId}/… (see app.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from leadhub.auth.principal import Principal
from leadhub.domains.activity import service as activity
from leadhub.domains.activity.schemas import ActivityStatus
from leadhub.domains.grants import clients
from leadhub.domains.lead_magnets import analytics
from leadhub.domains.lead_magnets import service as magnets
from leadhub.domains.media import service as media
from leadhub.domains.posts import service as posts
from leadhub.domains.users import service as users
from leadhub.domains.workspaces import service as workspaces
from leadhub.kit.types import MAX_ID, Text
from leadhub.surfaces.common.context import request_id
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep, authenticate
from leadhub.surfaces.common.links import upload_links
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.leadpanther import translate
from leadhub.surfaces.leadpanther.errors import ERROR_RESPONSES
from leadhub.surfaces.leadpanther.schemas import (
    ActivityAnswer,
    ClientsAnswer,
    EngagementAnswer,
    LeadMagnetCreate,
    LeadsAnswer,
    MagnetAnalyticsAnswer,
    MagnetSavedAnswer,
    MeAnswer,
    MediaUploadCreate,
    Pagination,
    PostAnswer,
    PostCreateBody,
    UploadUrlAnswer,
)

TAG = "LeadPanther"
account_router = APIRouter(route_class=ThreadedRoute, tags=[TAG], responses=ERROR_RESPONSES)
workspace_router = APIRouter(route_class=ThreadedRoute, tags=[TAG], responses=ERROR_RESPONSES)

AnyKey = Annotated[Principal, Depends(authenticate)]
ReadClients = Annotated[Principal, Depends(RequireScope("clients:read"))]
WriteMagnets = Annotated[Principal, Depends(RequireScope("lead_magnets:write"))]
WriteMedia = Annotated[Principal, Depends(RequireScope("media:write"))]
WritePosts = Annotated[Principal, Depends(RequireScope("posts:write"))]
ReadAnalytics = Annotated[Principal, Depends(RequireScope("analytics:read"))]
ReadLeads = Annotated[Principal, Depends(RequireScope("leads:read"))]
ReadActivity = Annotated[Principal, Depends(RequireScope("activity:read"))]

RecordId = Annotated[
    str, Path(alias="id", min_length=1, max_length=36, description="The record's id.")
]
Limit = Annotated[int, Query(ge=1, description="50 by default; above 100 is clamped to 100.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Term = Annotated[Text | None, Query(max_length=200)]
KeywordTerm = Annotated[Text | None, Query(max_length=50)]


def current_request_id(request: Request) -> str:
    return request_id(request)


RequestId = Annotated[str, Depends(current_request_id)]


# -- identity and clients -------------------------------------------------------------------


@account_router.get("/me", summary="Verify identity", response_model=MeAnswer)
def me(session: SessionDep, principal: AnyKey, rid: RequestId) -> MeAnswer:
    """The API key's account (its owner's name when it has one), actor type and scopes."""
    identity = workspaces.identity(session, principal)
    owner = users.owner_name(session, principal)
    return MeAnswer(data=translate.me(identity, owner_name=owner), request_id=rid)


@account_router.get("/clients", summary="List clients", response_model=ClientsAnswer)
def list_clients(
    session: SessionDep,
    principal: ReadClients,
    rid: RequestId,
    limit: Limit = translate.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> ClientsAnswer:
    """The client accounts the agency holds grants on; use `user_id` as `{clientId}`."""
    size = translate.limit(limit)
    found, has_more = clients.list_clients(session, principal, limit=size, offset=offset)
    return ClientsAnswer(
        data=[translate.client(item) for item in found],
        pagination=Pagination(limit=size, offset=offset, has_more=has_more),
        request_id=rid,
    )


# -- lead magnets ---------------------------------------------------------------------------


@workspace_router.post(
    "/lead-magnets",
    summary="Create hosted lead magnet",
    status_code=201,
    response_model=MagnetSavedAnswer,
)
def create_lead_magnet(
    body: LeadMagnetCreate, session: SessionDep, principal: WriteMagnets, rid: RequestId
) -> MagnetSavedAnswer:
    """Create a lead magnet (`hosted_content` with a `hosted_page`, `gated` or external)."""
    created = magnets.create_magnet(session, principal, data=body)
    return MagnetSavedAnswer(data=translate.magnet_saved(created), request_id=rid)


@workspace_router.get(
    "/lead-magnets/{id}/analytics",
    summary="Get lead magnet analytics",
    response_model=MagnetAnalyticsAnswer,
)
def lead_magnet_analytics(
    magnet_id: RecordId,
    session: SessionDep,
    principal: ReadAnalytics,
    rid: RequestId,
    limit: Limit = translate.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> MagnetAnalyticsAnswer:
    """Page views, visitors, unlocks, clicks and captures, with recent captures paged."""
    found = analytics.magnet_analytics(
        session, principal, magnet_id, limit=translate.limit(limit), offset=offset
    )
    lead_ids = activity.social_lead_ids(session, principal, translate.capture_lead_ids(found))
    return MagnetAnalyticsAnswer(data=translate.magnet_analytics(found, lead_ids), request_id=rid)


# -- media and posts ------------------------------------------------------------------------


@workspace_router.post(
    "/media/upload-url",
    summary="Create media upload URL",
    status_code=201,
    response_model=UploadUrlAnswer,
)
def create_upload_url(
    body: MediaUploadCreate,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: WriteMedia,
    rid: RequestId,
) -> UploadUrlAnswer:
    """A short-lived URL to PUT one image (up to 5 MB) or PDF (up to 15 MB)."""
    ticket = media.create_upload(
        session,
        principal,
        data=body,
        signer=runtime.upload_signer,
        ttl_seconds=runtime.settings.upload_url_ttl,
    )
    links = upload_links(runtime.settings.effective_base_url, ticket.token, ticket.path)
    data = translate.upload_url(
        ticket,
        upload_url=links["upload_url"],
        public_url=links["public_url"],
        bucket=runtime.store.name,
    )
    return UploadUrlAnswer(data=data, request_id=rid)


@workspace_router.post(
    "/posts", summary="Create or schedule post", status_code=201, response_model=PostAnswer
)
def create_post(
    body: PostCreateBody, session: SessionDep, principal: WritePosts, rid: RequestId
) -> PostAnswer:
    """Save a draft, or schedule a post (`status: scheduled`, a future `scheduled_at`)."""
    created = posts.create_post(session, principal, data=body)
    return PostAnswer(data=translate.post(created), request_id=rid)


@workspace_router.get(
    "/posts/{id}/engagement", summary="Get post engagement", response_model=EngagementAnswer
)
def post_engagement(
    post_id: RecordId,
    session: SessionDep,
    principal: ReadAnalytics,
    rid: RequestId,
) -> EngagementAnswer:
    """A post's published URL and its impressions, reactions, comments and reposts."""
    found = posts.engagement(session, principal, post_id)
    return EngagementAnswer(data=translate.engagement(found), request_id=rid)


# -- leads and activity ---------------------------------------------------------------------


@workspace_router.get("/leads", summary="List leads", response_model=LeadsAnswer)
def list_leads(
    session: SessionDep,
    principal: ReadLeads,
    rid: RequestId,
    limit: Limit = translate.DEFAULT_LIMIT,
    offset: Offset = 0,
    keyword: KeywordTerm = None,
    source: Annotated[Literal["comments", "dms", "intent"] | None, Query()] = None,
    has_email: Annotated[bool | None, Query(description="A submitted, work or personal email.")] = (
        None
    ),
    has_intent: bool | None = None,
    qualification: Annotated[
        Literal["unqualified", "qualified", "disqualified"] | None, Query()
    ] = None,
    search: Annotated[
        Text | None, Query(max_length=200, description="Name, headline, profile URL, email.")
    ] = None,
) -> LeadsAnswer:
    """The people seen in comments and DMs, most recently seen first."""
    filters = translate.lead_filters(
        keyword=keyword,
        source=source,
        has_email=has_email,
        has_intent=has_intent,
        qualification=qualification,
        search=search,
    )
    found = activity.social_lead_slice(
        session, principal, filters=filters, limit=translate.limit(limit), offset=offset
    )
    return LeadsAnswer(
        data=[translate.lead(item) for item in found.items],
        pagination=_pagination(found.limit, found.offset, found.has_more),
        request_id=rid,
    )


@workspace_router.get("/activity", summary="List activity", response_model=ActivityAnswer)
def list_activity(
    session: SessionDep,
    principal: ReadActivity,
    rid: RequestId,
    limit: Limit = translate.DEFAULT_LIMIT,
    offset: Offset = 0,
    source: Annotated[
        Literal["comments", "dms", "comment", "dm"] | None, Query(description="comments or dms.")
    ] = None,
    status: Annotated[ActivityStatus | None, Query()] = None,
    keyword: KeywordTerm = None,
    search: Annotated[Text | None, Query(max_length=200, description="Content and author.")] = (
        None
    ),
) -> ActivityAnswer:
    """Comments and DMs, newest first."""
    filters = translate.activity_filters(
        source=source, status=status, keyword=keyword, search=search
    )
    found = activity.activity_slice(
        session, principal, filters=filters, limit=translate.limit(limit), offset=offset
    )
    return ActivityAnswer(
        data=[translate.activity(item) for item in found.items],
        pagination=_pagination(found.limit, found.offset, found.has_more),
        request_id=rid,
    )


def _pagination(limit: int, offset: int, has_more: bool) -> Pagination:
    return Pagination(limit=limit, offset=offset, has_more=has_more)
