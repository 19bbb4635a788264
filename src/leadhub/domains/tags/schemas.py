"""What the tag services take and give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from leadhub.domains.pipelines.schemas import Color
from leadhub.kit.types import Text


class TagFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Text | None = Field(default=None, min_length=1, max_length=50)
    color: Color | None = None


class TagCreate(TagFields):
    name: Text = Field(min_length=1, max_length=50)


class TagUpdate(TagFields):
    """Renaming a tag renames it on every lead that carries it."""


class TagRead(BaseModel):
    id: int
    name: str
    color: str | None
    leads_count: int
    created_at: datetime
    updated_at: datetime
