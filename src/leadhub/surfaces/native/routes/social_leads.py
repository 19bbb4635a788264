"""/api/v1/social-leads: the people seen in comments and DMs, as LeadPanther shows its leads."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from leadhub.auth.principal import Principal
from leadhub.domains.activity import service as activity
from leadhub.domains.activity.schemas import SocialLeadFilters, SocialLeadRead
from leadhub.kit.pagination import DEFAULT_PER_PAGE, PageRequest
from leadhub.kit.types import Text
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import PageEnvelope, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute,
    prefix="/social-leads",
    tags=["Activity"],
    responses=ERROR_RESPONSES,
)

ReadLeads = Annotated[Principal, Depends(RequireScope("read:leads"))]


class SocialLeadListQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, description="Clamped to 100.")
    keyword: Text | None = Field(None, max_length=50, description="Asked for this keyword.")
    source: Literal["comments", "dms", "intent"] | None = None
    has_email: bool | None = Field(None, description="A submitted, work or personal email.")
    has_intent: bool | None = None
    qualification: Literal["unqualified", "qualified", "disqualified"] | None = None
    search: Text | None = Field(
        None, max_length=200, description="In the name, headline, profile URL and email."
    )

    def filters(self) -> SocialLeadFilters:
        return SocialLeadFilters(
            keyword=(self.keyword or "").strip() or None,
            source=self.source,
            has_email=self.has_email,
            has_intent=self.has_intent,
            qualification=self.qualification,
            search=(self.search or "").strip() or None,
        )


@router.get("", response_model=PageEnvelope[SocialLeadRead])
def list_social_leads(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadLeads,
    query: Annotated[SocialLeadListQuery, Query()],
) -> PageEnvelope[SocialLeadRead]:
    """List the people seen in comments and DMs (their sources, keywords, interactions, intent
    and qualification), most recently seen first."""
    page = PageRequest.clamped(query.page, query.per_page)
    result = activity.list_social_leads(session, principal, filters=query.filters(), page=page)
    return paginate(request, runtime, result)
