"""/api/v1/conversion-labels, a lead's rating and conversions, and processing the ratings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from leadhub.auth.principal import Principal
from leadhub.domains.conversions import labels
from leadhub.domains.conversions import service as conversions
from leadhub.domains.conversions.schemas import (
    ConversionRead,
    LabelCreate,
    LabelRead,
    LabelUpdate,
    Rating,
)
from leadhub.kit.types import MAX_ID, RecordId
from leadhub.surfaces.common.deps import RequireScope, RuntimeDep, SessionDep
from leadhub.surfaces.common.idempotency import IdempotentRoute
from leadhub.surfaces.native.envelopes import DataEnvelope, PageEnvelope, PageQuery, paginate
from leadhub.surfaces.native.errors import ERROR_RESPONSES

router = APIRouter(route_class=IdempotentRoute, tags=["Conversions"], responses=ERROR_RESPONSES)

# Labels configure where conversions go (integrations); rating and processing work on leads.
ReadLabels = Annotated[Principal, Depends(RequireScope("read:integrations"))]
WriteLabels = Annotated[Principal, Depends(RequireScope("write:integrations"))]
DeleteLabels = Annotated[Principal, Depends(RequireScope("delete:integrations"))]
ReadLeads = Annotated[Principal, Depends(RequireScope("read:leads"))]
WriteLeads = Annotated[Principal, Depends(RequireScope("write:leads"))]
LabelId = Annotated[int, Path(ge=1, le=MAX_ID)]
LeadId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ProcessBody(BaseModel):
    lead_ids: list[RecordId] | None = Field(
        default=None, max_length=1000, description="Only these leads' ratings; all when omitted."
    )


@router.get("/conversion-labels", response_model=PageEnvelope[LabelRead])
def list_labels(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: ReadLabels,
    page: PageQuery,
) -> PageEnvelope[LabelRead]:
    """List conversion labels in their order."""
    return paginate(request, runtime, labels.list_labels(session, principal, page=page))


@router.post("/conversion-labels", status_code=201, response_model=DataEnvelope[LabelRead])
def create_label(
    body: LabelCreate, session: SessionDep, principal: WriteLabels
) -> DataEnvelope[LabelRead]:
    """Create a conversion label: a name, a value, "mark as done", and its destinations."""
    return DataEnvelope(data=labels.create_label(session, principal, data=body))


@router.get("/conversion-labels/{label_id}", response_model=DataEnvelope[LabelRead])
def get_label(
    label_id: LabelId, session: SessionDep, principal: ReadLabels
) -> DataEnvelope[LabelRead]:
    """Get a conversion label."""
    return DataEnvelope(data=labels.get_label(session, principal, label_id))


@router.put("/conversion-labels/{label_id}", response_model=DataEnvelope[LabelRead])
@router.patch("/conversion-labels/{label_id}", response_model=DataEnvelope[LabelRead])
def update_label(
    label_id: LabelId, body: LabelUpdate, session: SessionDep, principal: WriteLabels
) -> DataEnvelope[LabelRead]:
    """Update a conversion label: send only the fields to change."""
    return DataEnvelope(data=labels.update_label(session, principal, label_id, data=body))


@router.delete("/conversion-labels/{label_id}", status_code=204, response_class=Response)
def delete_label(label_id: LabelId, session: SessionDep, principal: DeleteLabels) -> Response:
    """Delete a conversion label; the conversions it named keep its name."""
    labels.delete_label(session, principal, label_id)
    return Response(status_code=204)


@router.get("/leads/{lead_id}/conversions", response_model=DataEnvelope[list[ConversionRead]])
def list_conversions(
    lead_id: LeadId, session: SessionDep, principal: ReadLeads
) -> DataEnvelope[list[ConversionRead]]:
    """A lead's conversions, newest first, with each send to each platform."""
    return DataEnvelope(data=conversions.list_for_lead(session, principal, lead_id))


@router.put("/leads/{lead_id}/rating", response_model=DataEnvelope[ConversionRead])
def rate_lead(
    lead_id: LeadId, body: Rating, session: SessionDep, principal: WriteLeads
) -> DataEnvelope[ConversionRead]:
    """Rate a lead with a conversion label, or as lost; it waits to be processed."""
    return DataEnvelope(data=conversions.rate(session, principal, lead_id, rating=body))


@router.delete("/leads/{lead_id}/rating", status_code=204, response_class=Response)
def unrate_lead(lead_id: LeadId, session: SessionDep, principal: WriteLeads) -> Response:
    """Take back a rating not processed yet: the lead is open again."""
    conversions.reopen(session, principal, lead_id)
    return Response(status_code=204)


@router.post("/conversions/process", response_model=DataEnvelope[list[ConversionRead]])
def process_ratings(
    body: ProcessBody, session: SessionDep, principal: WriteLeads
) -> DataEnvelope[list[ConversionRead]]:
    """Queue the rated leads' conversions for the ad platforms."""
    return DataEnvelope(data=conversions.process(session, principal, lead_ids=body.lead_ids))
