"""What starts an automation: one lead event, narrowed by the filters its type allows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from leadhub.domains.automations.shapes import LeadField, Shape, StatusLabel, TagName
from leadhub.kit.types import RecordId


class LeadCreatedTrigger(Shape):
    type: Literal["lead_created"]


class LeadUpdatedTrigger(Shape):
    type: Literal["lead_updated"]
    fields: list[LeadField] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Fire only when one of these changed.",
    )


class StageChangedTrigger(Shape):
    type: Literal["stage_changed"]
    pipeline_id: RecordId | None = None
    stage_id: RecordId | None = Field(default=None, description="Fire only on entering this stage.")


class StatusChangedTrigger(Shape):
    type: Literal["status_changed"]
    status: StatusLabel | None = Field(default=None, description="Fire only on this new status.")


class TagAddedTrigger(Shape):
    type: Literal["tag_added"]
    tag: TagName | None = None


class TagRemovedTrigger(Shape):
    type: Literal["tag_removed"]
    tag: TagName | None = None


class LeadAssignedTrigger(Shape):
    type: Literal["lead_assigned"]


class FormSubmittedTrigger(Shape):
    type: Literal["form_submitted"]
    form_id: RecordId | None = None


class LeadDeletedTrigger(Shape):
    type: Literal["lead_deleted"]


def _from_name(value: Any) -> Any:
    """`"lead_created"` is short for `{"type": "lead_created"}`."""
    return {"type": value} if isinstance(value, str) else value


Trigger = Annotated[
    LeadCreatedTrigger
    | LeadUpdatedTrigger
    | StageChangedTrigger
    | StatusChangedTrigger
    | TagAddedTrigger
    | TagRemovedTrigger
    | LeadAssignedTrigger
    | FormSubmittedTrigger
    | LeadDeletedTrigger,
    Field(discriminator="type"),
    BeforeValidator(_from_name),
]
