"""What the integration services take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from leadhub.domains.integrations.catalog import SettingKind, SettingValue, TypeName
from leadhub.kit.types import Text

MAX_SETTINGS = 50


class IntegrationFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: TypeName | None = Field(default=None, description="One of GET /integrations/types.")
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    settings: dict[str, Any] | None = Field(
        default=None,
        max_length=MAX_SETTINGS,
        description="The type's settings by name, secrets included (they are never returned).",
    )
    is_active: StrictBool | None = None

    @field_validator("type", "name", "settings", "is_active")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null")
        return value


class IntegrationCreate(IntegrationFields):
    """A new integration: its type and the settings that type requires."""

    type: TypeName = Field(description="One of GET /integrations/types.")


class IntegrationUpdate(IntegrationFields):
    """Only the fields sent change; `settings` merge into the stored ones, and a secret left
    out keeps its value. The type cannot change."""


class IntegrationRead(BaseModel):
    id: int
    type: str
    name: str
    settings: dict[str, SettingValue | None] = Field(
        description="Every setting of the type; secrets masked (`••••` and the last 4 characters)."
    )
    is_active: bool
    secrets_unreadable: bool = Field(
        description="True when the stored secrets were encrypted under another secret key."
    )
    created_at: datetime
    updated_at: datetime


class SettingRead(BaseModel):
    name: str
    label: str
    kind: SettingKind
    required: bool
    default: SettingValue | None


class IntegrationTypeRead(BaseModel):
    type: str
    label: str
    description: str
    settings: list[SettingRead]
