"""What the privacy services take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from leadhub.kit.types import RecordId, Text

# The kinds of record a person can be found in, in the order the export lists them. Each kind's
# erasure (delete or anonymise) is described in README.md ("Privacy: export and erasure").
KINDS = (
    "leads",
    "list_memberships",
    "form_submissions",
    "lead_events",
    "social_profiles",
    "social_activities",
    "tracking_links",
    "magnet_captures",
    "page_events",
    "conversions",
    "conversion_sends",
    "automation_runs",
    "webhook_deliveries",
    "jobs",
    "search_history",
    "exports",
    "media",
)


class PersonQuery(BaseModel):
    """Who: an email, a phone and/or a lead id (each normalised as leads are)."""

    model_config = ConfigDict(extra="forbid")

    email: Text | None = Field(default=None, max_length=254)
    phone: Text | None = Field(default=None, max_length=40)
    lead_id: RecordId | None = None

    @model_validator(mode="after")
    def _one_given(self) -> PersonQuery:
        self.email = (self.email or "").strip() or None
        self.phone = (self.phone or "").strip() or None
        if self.email is None and self.phone is None and self.lead_id is None:
            raise ValueError("Provide an email, a phone or a lead id.")
        return self


class HeldFile(BaseModel):
    """A stored file that holds the person: media attached to them, or an export file with
    their row. `url` is filled in by the surface (a public or signed link)."""

    kind: str  # media | export
    id: str
    filename: str
    content_type: str | None
    size: int | None
    created_at: datetime
    url: str | None = None
    # Where the bytes are (a media file's public path); the surface builds the link from it.
    path: str | None = Field(default=None, exclude=True)


class PersonExport(BaseModel):
    """Everything held about one person in one workspace, by record kind."""

    reference: str = Field(description="A keyed hash naming the person without their data.")
    workspace: str
    generated_at: datetime
    lead_ids: list[int]
    counts: dict[str, int]
    records: dict[str, list[dict[str, Any]]]
    files: list[HeldFile]


class PersonSummary(BaseModel):
    """What is held about a person, counted by kind (the web app's look-up)."""

    reference: str
    lead_ids: list[int]
    names: list[str]
    counts: dict[str, int]
    files: list[HeldFile]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class ErasureResult(BaseModel):
    """What an erasure did, by kind: records deleted and records anonymised."""

    reference: str
    erased_at: datetime
    lead_ids: list[int]
    deleted: dict[str, int]
    anonymised: dict[str, int]
    files_deleted: int
