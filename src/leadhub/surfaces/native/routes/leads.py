"""/api/v1/leads: list, get, create, update, delete, tag."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from leadhub.auth.principal import Principal
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import (
    EXISTS_FIELDS,
    Direction,
    LeadCreate,
    LeadFilters,
    LeadRead,
    LeadUpdate,
    SortField,
)
from leadhub.kit.pagination import DEFAULT_PER_PAGE, PageRequest
from leadhub.kit.types import MAX_ID, RecordId, Text
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(
    route_class=IdempotentRoute, prefix="/leads", tags=["Leads"], responses=ERROR_RESPONSES
)

ReadLeads = Annotated[Principal, Depends(RequireScope("read:leads"))]
WriteLeads = Annotated[Principal, Depends(RequireScope("write:leads"))]
DeleteLeads = Annotated[Principal, Depends(RequireScope("delete:leads"))]
LeadId = Annotated[int, Path(ge=1, le=MAX_ID)]
TagName = Annotated[Text, Path(description="The tag's name (any case).")]


class LeadListQuery(BaseModel):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, description="Clamped to 100.")
    source: Text | None = Field(None, description="Filter by source; commas for several.")
    status: Text | None = Field(None, description="Filter by status; commas for several.")
    pipeline_id: RecordId | None = None
    stage_id: RecordId | None = None
    assigned_user_id: RecordId | None = None
    tag: Text | None = Field(None, description="Filter by tag name.")
    list_id: RecordId | None = Field(None, description="Leads in this list.")
    search: Text | None = Field(None, description="Search by name, company, email or phone.")
    created_after: datetime | None = Field(None, description="ISO 8601 date or date-time.")
    created_before: datetime | None = Field(None, description="ISO 8601 date or date-time.")
    starred: bool | None = Field(None, description="true: only starred leads.")
    form_id: RecordId | None = Field(None, description="Leads captured by this form.")
    unique_identifier: Text | None = Field(None, description="Exact match.")
    gclid_exists: bool | None = Field(None, description="true: with a gclid; false: without.")
    wbraid_exists: bool | None = None
    cid_exists: bool | None = None
    sid_exists: bool | None = None
    fbp_exists: bool | None = None
    fbc_exists: bool | None = None
    fbclid_exists: bool | None = None
    sort: SortField = "created_at"
    direction: Direction = "desc"

    @field_validator("created_after", "created_before")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """UTC when no offset is given; a moment that has no UTC date-time is no valid date."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:  # e.g. 9999-12-31T23:59:59-05:00
            raise PydanticCustomError("datetime_parsing", "Input is out of range") from exc

    def filters(self) -> LeadFilters:
        return LeadFilters(
            sources=_split(self.source),
            statuses=_split(self.status),
            pipeline_id=self.pipeline_id,
            stage_id=self.stage_id,
            assigned_user_id=self.assigned_user_id,
            tag=(self.tag or "").strip() or None,
            list_id=self.list_id,
            search=(self.search or "").strip() or None,
            created_after=self.created_after,
            created_before=self.created_before,
            starred=self.starred,
            form_id=self.form_id,
            unique_identifier=(self.unique_identifier or "").strip() or None,
            has=self._attribution_present(),
            sort=self.sort,
            direction=self.direction,
        )

    def _attribution_present(self) -> dict[str, bool]:
        found = {name: getattr(self, f"{name}_exists") for name in EXISTS_FIELDS}
        return {name: present for name, present in found.items() if present is not None}


class TagBody(BaseModel):
    tag: Text = Field(max_length=50)


def _split(value: str | None) -> list[str]:
    return [part.strip().lower() for part in (value or "").split(",") if part.strip()]


@router.get("", response_model=PageEnvelope[LeadRead])
def list_leads(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadLeads,
    query: Annotated[LeadListQuery, Query()],
) -> PageEnvelope[LeadRead]:
    """List leads, filtered, sorted and paginated."""
    page = PageRequest.clamped(query.page, query.per_page)
    result = leads.list_leads(session, principal, filters=query.filters(), page=page)
    return paginate(request, runtime, result)


@router.post("", status_code=201, response_model=DataEnvelope[LeadRead])
def create_lead(
    body: LeadCreate, session: SessionDep, principal: WriteLeads
) -> DataEnvelope[LeadRead]:
    """Create a lead (`first_name` is required)."""
    return DataEnvelope(data=leads.create(session, principal, data=body))


@router.get("/{lead_id}", response_model=DataEnvelope[LeadRead])
def get_lead(lead_id: LeadId, session: SessionDep, principal: ReadLeads) -> DataEnvelope[LeadRead]:
    """Get a lead."""
    return DataEnvelope(data=leads.get(session, principal, lead_id))


@router.put("/{lead_id}", response_model=DataEnvelope[LeadRead])
@router.patch("/{lead_id}", response_model=DataEnvelope[LeadRead])
def update_lead(
    lead_id: LeadId, body: LeadUpdate, session: SessionDep, principal: WriteLeads
) -> DataEnvelope[LeadRead]:
    """Update a lead: send only the fields to change."""
    return DataEnvelope(data=leads.update(session, principal, lead_id, data=body))


@router.delete("/{lead_id}", status_code=204, response_class=Response)
def delete_lead(lead_id: LeadId, session: SessionDep, principal: DeleteLeads) -> Response:
    """Delete a lead."""
    leads.delete(session, principal, lead_id)
    return Response(status_code=204)


@router.post("/{lead_id}/tags", response_model=DataEnvelope[LeadRead])
def add_tag(
    lead_id: LeadId, body: TagBody, session: SessionDep, principal: WriteLeads
) -> DataEnvelope[LeadRead]:
    """Add a tag to a lead (the tag is created on first use)."""
    return DataEnvelope(data=leads.add_tag(session, principal, lead_id, body.tag))


@router.delete("/{lead_id}/tags/{tag}", response_model=DataEnvelope[LeadRead])
def remove_tag(
    lead_id: LeadId, tag: TagName, session: SessionDep, principal: WriteLeads
) -> DataEnvelope[LeadRead]:
    """Remove a tag from a lead."""
    return DataEnvelope(data=leads.remove_tag(session, principal, lead_id, tag))
