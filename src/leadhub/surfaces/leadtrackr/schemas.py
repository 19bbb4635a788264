"""LeadTrackr's wire shapes, in its own (camelCase) names.

Request bodies also accept LeadHub's snake_case spelling of each key (and `lt_channelflow`, as
LeadTrackr's tracking script names the channel flow). Every class is prefixed `LeadTrackr` so that
its schema does not collide with another surface's in the merged OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from leadhub.kit.types import Text

# The largest price in cents a lead's value (two decimals, twelve digits) can hold.
MAX_PRICE_CENTS = 99_999_999_999_999


def _either(camel: str, *others: str) -> Any:
    """A key accepted in LeadTrackr's camelCase or in the other spellings given."""
    return AliasChoices(camel, *others)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True)


# -- in -----------------------------------------------------------------------------------------


class LeadTrackrUserData(_Wire):
    """Who the lead is."""

    first_name: Text | None = Field(default=None, max_length=100)
    last_name: Text | None = Field(default=None, max_length=100)
    email: Text | None = Field(default=None, max_length=254)
    phone: Text | None = Field(default=None, max_length=40)
    company_name: Text | None = Field(
        default=None,
        max_length=200,
        validation_alias=_either("companyName", "company_name", "company"),
    )


class LeadTrackrAttributionData(_Wire):
    """Ad-click ids and UTM parameters (`utm_source` or `utmSource`, …)."""

    gclid: Text | None = Field(default=None, max_length=500)
    wbraid: Text | None = Field(default=None, max_length=500)
    cid: Text | None = Field(default=None, max_length=500)
    sid: Text | None = Field(default=None, max_length=500)
    fbp: Text | None = Field(default=None, max_length=500)
    fbc: Text | None = Field(default=None, max_length=500)
    fbclid: Text | None = Field(default=None, max_length=500)
    utm_source: Text | None = Field(
        default=None, max_length=255, validation_alias=_either("utm_source", "utmSource")
    )
    utm_medium: Text | None = Field(
        default=None, max_length=255, validation_alias=_either("utm_medium", "utmMedium")
    )
    utm_campaign: Text | None = Field(
        default=None, max_length=255, validation_alias=_either("utm_campaign", "utmCampaign")
    )
    utm_term: Text | None = Field(
        default=None, max_length=255, validation_alias=_either("utm_term", "utmTerm")
    )
    utm_content: Text | None = Field(
        default=None, max_length=255, validation_alias=_either("utm_content", "utmContent")
    )
    referrer: Text | None = Field(default=None, max_length=2000)
    landing_page: Text | None = Field(
        default=None, max_length=2000, validation_alias=_either("landingPage", "landing_page")
    )


class LeadTrackrDeviceData(_Wire):
    """The browser that sent the lead."""

    ip_address: Text | None = Field(default=None, max_length=45)
    user_agent: Text | None = Field(default=None, max_length=1000)


class LeadTrackrCreateLead(_Wire):
    """A lead as LeadTrackr's createLead and createServerSideLead take it.

    `formData.formName` names the form and `formData.uniqueEventId` identifies the browser event
    (sent again, it updates the lead it created); the other keys of `formData` are kept as-is.
    """

    project_id: Text | None = Field(
        default=None,
        max_length=64,
        description="The workspace's public id (ws_…). Required by createLead.",
    )
    user_data: LeadTrackrUserData | None = None
    attribution_data: LeadTrackrAttributionData | None = None
    form_data: dict[str, Any] | None = None
    device_data: LeadTrackrDeviceData | None = None
    channel_flow: Text | None = Field(
        default=None,
        max_length=10_000,
        validation_alias=_either("channelFlow", "lt_channelflow", "channel_flow"),
    )
    unique_identifier: Text | None = Field(
        default=None,
        max_length=255,
        validation_alias=_either("uniqueIdentifier", "unique_identifier"),
        description="Your CRM's id for the lead.",
    )


class LeadTrackrStatusUpdate(_Wire):
    """Which lead (the first of leadId, uniqueIdentifier, email, phone given) and its outcome."""

    lead_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    unique_identifier: Text | None = Field(
        default=None,
        max_length=255,
        validation_alias=_either("uniqueIdentifier", "unique_identifier"),
    )
    email: Text | None = Field(default=None, max_length=254)
    phone: Text | None = Field(default=None, max_length=40)
    conversion_id: Text | int | None = Field(
        default=None, description="`open`, `lost`, or a conversion label's id."
    )
    price: float | None = Field(
        default=None, ge=0, le=MAX_PRICE_CENTS, description="The lead's value in cents."
    )


# -- out ----------------------------------------------------------------------------------------


class LeadTrackrContact(_Wire):
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    company_name: str | None


class LeadTrackrLead(_Wire):
    """The lead object of getLeads and getLead."""

    id: int
    status: str
    form_name: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None
    email: str | None
    company_name: str | None
    price: int | None = Field(description="In cents.")
    note: str | None
    form_data: dict[str, Any] | None
    user_data: LeadTrackrContact | None
    attribution_data: dict[str, str] | None
    channel_flow: str | None
    unique_identifier: str | None
    created_at: str = Field(description="UTC, e.g. 2026-03-15T10:30:00.000Z")


class LeadTrackrLeads(_Wire):
    message: str = "Leads retrieved"
    leads: list[LeadTrackrLead]
    total: int
    page: int
    limit: int
    total_pages: int
    has_more: bool


class LeadTrackrLeadAnswer(_Wire):
    message: str = "Lead retrieved"
    lead: LeadTrackrLead


class LeadTrackrSaved(_Wire):
    message: str
    lead_id: int
    unique_identifier: str | None


class LeadTrackrStatusAnswer(_Wire):
    message: str
    lead_id: int
    unique_identifier: str | None
    status: str
    queued: bool
    warnings: list[dict[str, str]] | None = Field(
        default=None, description="Present when queued: destinations that lack the lead's data."
    )


class LeadTrackrError(BaseModel):
    message: str
