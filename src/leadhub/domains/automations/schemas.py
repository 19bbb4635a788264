"""What the automation services take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool, field_validator

from leadhub.domains.automations.actions import MAX_ACTIONS, Action
from leadhub.domains.automations.conditions import MAX_CONDITIONS, Condition
from leadhub.domains.automations.shapes import Shape
from leadhub.domains.automations.triggers import Trigger
from leadhub.kit.types import Text

Match = Literal["all", "any"]


class AutomationFields(Shape):
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    description: Text | None = Field(default=None, max_length=5000)
    trigger: Trigger | None = Field(
        default=None, description='A trigger object, or just its type ("lead_created").'
    )
    conditions: list[Condition] | None = Field(default=None, max_length=MAX_CONDITIONS)
    match: Match | None = Field(default=None, description="all (default) or any of the conditions.")
    actions: list[Action] | None = Field(default=None, min_length=1, max_length=MAX_ACTIONS)
    is_active: StrictBool | None = None

    @field_validator("name", "trigger", "conditions", "match", "actions", "is_active")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null")
        return value


class AutomationCreate(AutomationFields):
    """A new automation: a name, a trigger and at least one action."""

    name: Text = Field(min_length=1, max_length=200)
    trigger: Trigger = Field(description='A trigger object, or just its type ("lead_created").')
    actions: list[Action] = Field(min_length=1, max_length=MAX_ACTIONS)


class AutomationUpdate(AutomationFields):
    """Only the fields sent change (PUT and PATCH alike); `is_active` enables or disables."""


class AutomationRead(BaseModel):
    id: int
    name: str
    description: str | None
    trigger: Trigger
    conditions: list[Condition]
    match: Match
    actions: list[Action]
    is_active: bool
    created_at: datetime
    updated_at: datetime
