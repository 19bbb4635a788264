"""What the list services take and give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from leadhub.kit.types import Name, RecordId, Text

MAX_LEADS_PER_CALL = 1000


class ListFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name | None = Field(default=None, max_length=200)
    description: Text | None = Field(default=None, max_length=2000)


class ListCreate(ListFields):
    name: Name = Field(max_length=200)


class ListUpdate(ListFields):
    """Only the fields given change."""


class ListRead(BaseModel):
    id: int
    name: str
    description: str | None
    total_contacts: int
    created_at: datetime
    updated_at: datetime


class ListMembers(BaseModel):
    """Leads to put in a list or take out of it."""

    model_config = ConfigDict(extra="ignore")

    lead_ids: list[RecordId] = Field(min_length=1, max_length=MAX_LEADS_PER_CALL)


class MembershipChange(BaseModel):
    list_id: int
    # Leads that joined (or left); the others were already in (or not in) the list.
    changed: int
    unchanged: int
    total_contacts: int
