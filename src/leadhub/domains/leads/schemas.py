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
# What services can order by: the native sort fields, and the value and status other surfaces use.
OrderField = Literal[
    "created_at", "updated_at", "lead_score", "first_name", "last_name", "email", "value", "status"
]
# Attribution keys a list can require to be present (`gclid_exists=true`) or absent.
EXISTS_FIELDS = ("gclid", "wbraid", "cid", "sid", "fbp", "fbc", "fbclid")
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


class Device(BaseModel):
    """The browser that sent the lead."""

    model_config = ConfigDict(extra="ignore")

    ip_address: Text | None = Field(default=None, max_length=45)
    user_agent: Text | None = Field(default=None, max_length=1000)


# Who the lead is, in the order forms and pages show them.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "city",
    "state",
    "region",
    "country",
)


class LeadFields(BaseModel):
    """Every writable field of a lead; which ones a request set is `model_fields_set`."""

    model_config = ConfigDict(extra="ignore")

    first_name: Text | None = Field(default=None, max_length=100)
    last_name: Text | None = Field(default=None, max_length=100)
    email: Text | None = Field(default=None, max_length=254)
    phone: Text | None = Field(default=None, max_length=40)
    company: Text | None = Field(default=None, max_length=200)
    job_title: Text | None = Field(default=None, max_length=200)
    city: Text | None = Field(default=None, max_length=100)
    state: Text | None = Field(default=None, max_length=100)
    region: Text | None = Field(default=None, max_length=100)
    country: Text | None = Field(default=None, max_length=100)
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
    form_name: Text | None = Field(default=None, max_length=200)
    form_data: dict[str, Any] | None = Field(
        default=None, description="The form's fields as they were submitted."
    )
    channel_flow: Text | None = Field(
        default=None, max_length=10_000, description="The UTM journey before the lead converted."
    )
    device: Device | None = None
    attribution: Attribution | None = None


class LeadCreate(LeadFields):
    """A new lead: `first_name` is required."""

    first_name: Text = Field(max_length=100)


class LeadUpdate(LeadFields):
    """A change to a lead: only the fields sent are changed (PUT and PATCH alike)."""


class InboundLead(LeadFields):
    """A lead from another tool: `email` is required, a match on email or phone is merged.

    Attribution and device data may also come as top-level keys (`utm_source`, `gclid`,
    `ip_address`, …), as no-code tools send flat objects.
    """

    email: Text = Field(max_length=254)

    @model_validator(mode="before")
    @classmethod
    def _lift_flat_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = _lift(data, "attribution", Attribution.model_fields)
        data = _lift(data, "device", Device.model_fields)
        if "channel_flow" not in data and "lt_channelflow" in data:
            data = {**data, "channel_flow": data["lt_channelflow"]}
        return data


def _lift(data: dict[str, Any], nested_key: str, keys: Any) -> dict[str, Any]:
    """Top-level keys that belong to a nested object, moved into it (nested values win)."""
    flat = {key: data[key] for key in keys if key in data}
    if not flat:
        return data
    nested = data.get(nested_key)
    merged = {**flat, **nested} if isinstance(nested, dict) else flat
    return {**data, nested_key: merged}


class LeadRead(BaseModel):
    id: int
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    company: str | None
    job_title: str | None
    city: str | None = None
    state: str | None = None
    region: str | None = None
    country: str | None = None
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
    form_name: str | None
    form_data: dict[str, Any] | None
    channel_flow: str | None
    device: Device
    conversion_label_id: int | None
    attribution: Attribution
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class LeadFilters:
    sources: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    # Statuses a lead must not have (the conversions' open leads are "everything else").
    excluded_statuses: list[str] = field(default_factory=list)
    pipeline_id: int | None = None
    stage_id: int | None = None
    assigned_user_id: int | None = None
    tag: str | None = None
    # Only the leads in this list (a list id of the workspace).
    list_id: int | None = None
    # Only the leads in at least one list (Leadsopedia's contacts).
    in_any_list: bool = False
    search: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    starred: bool | None = None
    form_id: int | None = None
    form_name: str | None = None
    unique_identifier: str | None = None
    email: str | None = None
    phone: str | None = None
    # Attribution keys that must be present (True) or absent (False).
    has: dict[str, bool] = field(default_factory=dict)
    # Inclusive bounds, where created_after/created_before are exclusive.
    created_from: datetime | None = None
    created_to: datetime | None = None
    sort: OrderField = "created_at"
    direction: Direction = "desc"


@dataclass(frozen=True)
class IntakeResult:
    lead_id: int
    is_duplicate: bool


@dataclass(frozen=True)
class LeadReference:
    """Ways to name one lead, in the order they are tried: the first one given is used."""

    lead_id: int | None = None
    unique_identifier: str | None = None
    email: str | None = None
    phone: str | None = None
