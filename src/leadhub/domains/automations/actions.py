"""What an automation does to the lead, in order."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError, ValidationInfo, field_validator

from leadhub.domains.automations.shapes import (
    CUSTOM_PREFIX,
    NullableScalar,
    SettableField,
    Shape,
    StatusLabel,
    TagName,
    label,
)
from leadhub.domains.leads.schemas import LeadFields
from leadhub.kit.contact import InvalidEmail, normalize_email
from leadhub.kit.types import RecordId, Text

MAX_ACTIONS = 50
MAX_WAIT_MINUTES = 525_600  # one year
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _recipient(value: str) -> str:
    """`lead` (the lead's own address) or one email address, lower-cased."""
    if value.strip().lower() == "lead":
        return "lead"
    try:
        return normalize_email(value)
    except InvalidEmail as exc:
        raise ValueError('must be "lead" or an email address') from exc


def _http_url(value: str) -> str:
    if not _URL.match(value.strip()):
        raise ValueError("must be an http or https URL")
    return value.strip()


Recipient = Annotated[Text, Field(min_length=1, max_length=254), AfterValidator(_recipient)]
HttpUrl = Annotated[Text, Field(min_length=1, max_length=2000), AfterValidator(_http_url)]


class AddTagAction(Shape):
    type: Literal["add_tag"]
    tag: TagName


class RemoveTagAction(Shape):
    type: Literal["remove_tag"]
    tag: TagName


class SetFieldAction(Shape):
    """Set one lead field or custom field; the value must suit the field."""

    type: Literal["set_field"]
    field: SettableField
    value: NullableScalar

    @field_validator("value")
    @classmethod
    def _suits_field(cls, value: NullableScalar, info: ValidationInfo) -> NullableScalar:
        field = info.data.get("field")
        if not isinstance(field, str) or field.startswith(CUSTOM_PREFIX):
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            if field in _NOT_EMPTIED:
                raise ValueError(f"{field} cannot be emptied")
            return None
        kind = _KINDS.get(field, "text")
        if not _is_kind(value, kind):
            raise ValueError(f"{field} takes {kind}")
        try:
            LeadFields.model_validate({field: value})
        except ValidationError as exc:
            message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise ValueError(f"the value does not suit {field}: {message}") from None
        return _normalised(field, value)


_NOT_EMPTIED = frozenset({"first_name", "source", "status", "lead_score", "starred"})
_KINDS = {
    "lead_score": "an integer",
    "pipeline_id": "an integer",
    "pipeline_stage_id": "an integer",
    "assigned_user_id": "an integer",
    "form_id": "an integer",
    "starred": "true or false",
    "value": "a number",
}


def _is_kind(value: object, kind: str) -> bool:
    if kind == "true or false":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "an integer":
        return isinstance(value, int)
    if kind == "a number":
        return isinstance(value, int | float)
    return isinstance(value, str)


def _normalised(field: str, value: str | int | float | bool) -> str | int | float | bool:
    if not isinstance(value, str):
        return value
    if field == "email":
        try:
            return normalize_email(value)
        except InvalidEmail as exc:
            raise ValueError("email takes a valid email address") from exc
    if field in ("source", "status"):
        return label(value)
    return value.strip()


class SetStatusAction(Shape):
    type: Literal["set_status"]
    status: StatusLabel


class MoveToStageAction(Shape):
    type: Literal["move_to_stage"]
    stage_id: RecordId


class AssignUserAction(Shape):
    type: Literal["assign_user"]
    user_id: RecordId


class AssignRoundRobinAction(Shape):
    type: Literal["assign_round_robin"]
    user_ids: list[RecordId] = Field(min_length=1, max_length=100)

    @field_validator("user_ids")
    @classmethod
    def _unique(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("must not repeat a user")
        return value


class ChangeScoreAction(Shape):
    type: Literal["change_score"]
    amount: int = Field(ge=-1_000_000, le=1_000_000, description="Added to the lead score.")


class SendEmailAction(Shape):
    type: Literal["send_email"]
    to: Recipient = Field(description='"lead" or an email address.')
    subject: Text = Field(min_length=1, max_length=255)
    body: Text = Field(min_length=1, max_length=50_000)
    integration_id: RecordId | None = Field(
        default=None, description="An smtp or mailgun integration."
    )


class PostToSlackAction(Shape):
    type: Literal["post_to_slack"]
    message: Text = Field(min_length=1, max_length=4000)
    integration_id: RecordId = Field(description="A slack integration.")


class CallWebhookAction(Shape):
    type: Literal["call_webhook"]
    url: HttpUrl
    integration_id: RecordId | None = Field(
        default=None, description="A webhook integration whose signing secret signs the call."
    )


class WaitAction(Shape):
    type: Literal["wait"]
    minutes: int = Field(ge=1, le=MAX_WAIT_MINUTES)


Action = Annotated[
    AddTagAction
    | RemoveTagAction
    | SetFieldAction
    | SetStatusAction
    | MoveToStageAction
    | AssignUserAction
    | AssignRoundRobinAction
    | ChangeScoreAction
    | SendEmailAction
    | PostToSlackAction
    | CallWebhookAction
    | WaitAction,
    Field(discriminator="type"),
]
