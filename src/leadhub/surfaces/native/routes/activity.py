"""/api/v1/activity: comments and DMs recorded (with the reply to send), listed, and triaged."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from leadhub.auth.principal import Principal
from leadhub.domains.activity import service as activity
from leadhub.domains.activity.schemas import (
    ActivityCreate,
    ActivityFilters,
    ActivityRead,
    ActivityStatus,
    ActivityUpdate,
    Recorded,
)
from leadhub.kit.pagination import DEFAULT_PER_PAGE, PageRequest
from leadhub.kit.types import Text
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.common.links import magnet_page_url
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/activity", tags=["Activity"], responses=ERROR_RESPONSES
)

ReadActivity = Annotated[Principal, Depends(RequireScope("read:activity"))]
WriteActivity = Annotated[Principal, Depends(RequireScope("write:activity"))]
ActivityId = Annotated[str, Path(max_length=36, description="The activity's id (a uuid).")]
# LeadPanther filters activity with the plural (`source=comments`); both spellings work.
SourceFilter = Literal["comment", "dm", "comments", "dms"]


class ActivityListQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, description="Clamped to 100.")
    source: SourceFilter | None = Field(None, description="comment or dm (or comments, dms).")
    status: ActivityStatus | None = None
    keyword: Text | None = Field(None, max_length=50, description="The matched keyword, any case.")
    search: Text | None = Field(None, max_length=200, description="In the content and the author.")

    def filters(self) -> ActivityFilters:
        return ActivityFilters(
            source=self.source.removesuffix("s") if self.source else None,
            status=self.status,
            keyword=(self.keyword or "").strip() or None,
            search=(self.search or "").strip() or None,
        )


@router.post("", status_code=201, response_model=DataEnvelope[Recorded])
def record_activity(
    body: ActivityCreate, runtime: RuntimeDep, session: SessionDep, principal: WriteActivity
) -> DataEnvelope[Recorded]:
    """Record a comment or a DM: its author becomes a lead; a lead magnet's keyword in the
    content answers the `reply` to send, with a tracking link to the magnet's page."""
    base = runtime.settings.effective_base_url
    recorded = activity.record(
        session, principal, data=body, page_url=lambda slug: magnet_page_url(base, slug)
    )
    return DataEnvelope(data=recorded)


@router.get("", response_model=PageEnvelope[ActivityRead])
def list_activity(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadActivity,
    query: Annotated[ActivityListQuery, Query()],
) -> PageEnvelope[ActivityRead]:
    """List comments and DMs, newest first, filtered by source, status, keyword or search."""
    page = PageRequest.clamped(query.page, query.per_page)
    result = activity.list_activities(session, principal, filters=query.filters(), page=page)
    return paginate(request, runtime, result)


@router.get("/{activity_id}", response_model=DataEnvelope[ActivityRead])
def get_activity(
    activity_id: ActivityId, session: SessionDep, principal: ReadActivity
) -> DataEnvelope[ActivityRead]:
    """Get one comment or DM."""
    return DataEnvelope(data=activity.get_activity(session, principal, activity_id))


@router.patch("/{activity_id}", response_model=DataEnvelope[ActivityRead])
def update_activity(
    activity_id: ActivityId, body: ActivityUpdate, session: SessionDep, principal: WriteActivity
) -> DataEnvelope[ActivityRead]:
    """Set a comment's or a DM's status: new, replied, ignored or archived."""
    updated = activity.update_activity(session, principal, activity_id, data=body)
    return DataEnvelope(data=updated)
