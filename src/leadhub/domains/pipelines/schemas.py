"""What the pipeline services take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from leadhub.kit.types import Name

StageKind = Literal["open", "won", "lost"]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", description="#RRGGBB")]
MAX_STAGES = 50


class StageFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name | None = Field(default=None, min_length=1, max_length=200)
    position: int | None = Field(default=None, ge=0, le=MAX_STAGES)
    kind: StageKind | None = Field(default=None, description="open, won or lost")
    probability: int | None = Field(default=None, ge=0, le=100, description="For open stages.")
    color: Color | None = None


class StageCreate(StageFields):
    name: Name = Field(min_length=1, max_length=200)


class StageUpdate(StageFields):
    """Only the fields sent change; a new `position` reorders the other stages."""


class StageRead(BaseModel):
    id: int
    pipeline_id: int
    name: str
    position: int
    kind: str
    probability: int | None
    color: str | None
    leads_count: int
    created_at: datetime
    updated_at: datetime


class PipelineFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name | None = Field(default=None, min_length=1, max_length=200)
    is_default: bool | None = None


class PipelineCreate(PipelineFields):
    """A pipeline; without `stages` it gets the standard ones (New … Won, Lost)."""

    name: Name = Field(min_length=1, max_length=200)
    stages: list[StageCreate] | None = Field(default=None, max_length=MAX_STAGES)


class PipelineUpdate(PipelineFields):
    """Only the fields sent change."""


class PipelineRead(BaseModel):
    id: int
    name: str
    is_default: bool
    stages: list[StageRead]
    created_at: datetime
    updated_at: datetime
