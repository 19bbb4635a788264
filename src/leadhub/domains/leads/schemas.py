"""What the lead services take and give."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from leadhub.kit.types import RecordId, Text

SORT_FIELDS = ("created_at", "updated_at", "lead_score", "first_name", "last_name", "email")
SortField = Literal["created_at", "updated_at", "lead_score", "first_name", "last_name", "email"]
Direction = Literal["asc", "desc"]


class Attribution(BaseModel):
    """Where the lead came from: ad-click ids, UTM parameters, referrer, landing page."""

    model_config = ConfigDict(extra="ignore")

    gclid: Text | None = Field(default=None, max_length=500)
    wbraid: Text | None = Field(default=None, max_length=500)
    cid: Text | None = Field(default=None, max_length=500)
    sid: Text | None = Field(default=None, max_length=500)
    fbp: Text | None = Field(default=None, max_length=500)
    fbc: Text | None = Field(default=None, max_length=500)
    fbclid: Text | None = Field(default=None, max_length=500)
    utm_source: Text | None = Field(default=None, max_length=255)
    utm_medium: Text | None = Field(default=None, max_length=255)
    utm_campaign: Text | None = Field(default=None, max_length=255)
    utm_term: Text | None = Field(default=None, max_length=255)
    utm_content: Text | None = Field(default=None, max_length=255)
    referrer: Text | None = Field(default=None, max_length=2000)
    landing_page: Text | None = Field(default=None, max_length=2000)


class LeadFields(BaseModel):
    """Every writable field of a lead; which ones a request set is `model_fields_set`."""

    model_config = ConfigDict(extra="ignore")

    first_name: Text | None = Field(default=None, max_length=100)
    last_name: Text | None = Field(default=None, max_length=100)
    email: Text | None = Field(default=None, max_length=254)
    phone: Text | None = Field(default=None, max_length=40)
    company: Text | None = Field(default=None, max_length=200)
    job_title: Text | None = Field(default=None, max_length=200)
    source: Text | None = Field(default=None, max_length=50)
    status: Text | None = Field(default=None, max_length=50)
    pipeline_id: RecordId | None = None
    pipeline_stage_id: RecordId | None = None
    assigned_user_id: RecordId | None = None
    lead_score: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    starred: bool | None = None
    notes: Text | None = Field(default=None, max_length=65_535)
    custom_fields: dict[str, Any] | None = None
    tags: list[Text] | None = Field(default=None, max_length=100)
    value: Decimal | None = Field(
        default=None, ge=0, le=Decimal("999999999999.99"), decimal_places=2
    )
    unique_identifier: Text | None = Field(default=None, max_length=255)
    form_id: RecordId | None = None
    attribution: Attribution | None = None


class LeadCreate(LeadFields):
    """A new lead: `first_name` is required."""

    first_name: Text = Field(max_length=100)


class LeadUpdate(LeadFields):
    """A change to a lead: only the fields sent are changed (PUT and PATCH alike)."""


class InboundLead(LeadFields):
    """A lead from another tool: `email` is required, a match on email or phone is merged.

    Attribution may also come as top-level keys (`utm_source`, `gclid`, …), as no-code tools
    send flat objects.
    """

    email: Text = Field(max_length=254)

    @model_validator(mode="before")
    @classmethod
    def _lift_attribution(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        flat = {key: data[key] for key in Attribution.model_fields if key in data}
        if not flat:
            return data
        nested = data.get("attribution")
        merged = {**flat, **nested} if isinstance(nested, dict) else flat
        return {**data, "attribution": merged}


class LeadRead(BaseModel):
    id: int
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    company: str | None
    job_title: str | None
    source: str
    status: str
    pipeline_id: int | None
    pipeline_stage_id: int | None
    assigned_user_id: int | None
    lead_score: int
    starred: bool
    notes: str | None
    custom_fields: dict[str, Any]
    tags: list[str]
    value: float | None
    unique_identifier: str | None
    form_id: int | None
    attribution: Attribution
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class LeadFilters:
    sources: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    pipeline_id: int | None = None
    stage_id: int | None = None
    assigned_user_id: int | None = None
    tag: str | None = None
    search: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    starred: bool | None = None
    sort: SortField = "created_at"
    direction: Direction = "desc"


@dataclass(frozen=True)
class IntakeResult:
    lead_id: int
    is_duplicate: bool
