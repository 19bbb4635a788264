"""What the form services take and give."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from leadhub.domains.leads.schemas import CONTACT_FIELDS
from leadhub.kit.types import Name, RecordId, Text
from leadhub.models.lead import ATTRIBUTION_FIELDS

FieldType = Literal["text", "email", "phone", "textarea", "select", "checkbox", "hidden"]
LEAD_TARGETS = (
    *CONTACT_FIELDS,
    "notes",
    "unique_identifier",
)
CUSTOM_PREFIX = "custom_fields."
MAX_FIELDS = 50
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_GUESSES = {"name": "first_name", "full_name": "first_name", "mobile": "phone", "tel": "phone"}


def default_target(name: str, field_type: str) -> str:
    """Where a field goes when the form does not say: a lead field of that name, else custom."""
    lowered = name.lower()
    if lowered in LEAD_TARGETS or lowered in ATTRIBUTION_FIELDS:
        return lowered
    if lowered in _GUESSES:
        return _GUESSES[lowered]
    if field_type in ("email", "phone"):
        return field_type
    return CUSTOM_PREFIX + name


def valid_target(target: str) -> bool:
    if target in LEAD_TARGETS or target in ATTRIBUTION_FIELDS:
        return True
    key = target.removeprefix(CUSTOM_PREFIX)
    return target.startswith(CUSTOM_PREFIX) and 0 < len(key) <= 64


class FormField(BaseModel):
    """One input: its type, whether it is required, and the lead field it fills (`maps_to`)."""

    model_config = ConfigDict(extra="ignore")

    name: Name = Field(max_length=64, description="Letters, digits, underscores.")
    label: Text | None = Field(default=None, max_length=200)
    type: FieldType = "text"
    required: bool = False
    options: list[Text] | None = Field(default=None, max_length=200)
    maps_to: Text | None = Field(
        default=None,
        description="A lead field (first_name, email, utm_source, …) or custom_fields.KEY.",
    )
    placeholder: Text | None = Field(default=None, max_length=200)
    default: Text | None = Field(default=None, max_length=1000, description="Hidden fields' value.")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("must start with a letter and hold only letters, digits, underscores")
        return value

    @model_validator(mode="after")
    def _complete(self) -> FormField:
        if self.type == "select" and not self.options:
            raise ValueError("a select field needs options")
        if self.maps_to is None:
            self.maps_to = default_target(self.name, self.type)
        elif not valid_target(self.maps_to):
            raise ValueError(
                f"maps_to {self.maps_to!r} is neither a lead field nor custom_fields.KEY"
            )
        if self.label is None:
            self.label = self.name.replace("_", " ").capitalize()
        return self


class FormFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name | None = Field(default=None, min_length=1, max_length=200)
    description: Text | None = Field(default=None, max_length=5000)
    fields: list[FormField] | None = Field(default=None, min_length=1, max_length=MAX_FIELDS)
    pipeline_id: RecordId | None = None
    pipeline_stage_id: RecordId | None = None
    tags: list[Text] | None = Field(default=None, max_length=50)
    source: Text | None = Field(default=None, max_length=50)
    submit_label: Text | None = Field(default=None, min_length=1, max_length=100)
    success_message: Text | None = Field(default=None, max_length=5000)
    redirect_url: Text | None = Field(default=None, max_length=2000)
    is_active: bool | None = None

    @field_validator("fields")
    @classmethod
    def _unique_names(cls, value: list[FormField] | None) -> list[FormField] | None:
        names = [field.name.lower() for field in value or []]
        if len(names) != len(set(names)):
            raise ValueError("field names must be unique")
        return value

    @field_validator("redirect_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            raise ValueError("must be an http or https URL")
        return value


class FormCreate(FormFields):
    """A new form: a name and at least one field."""

    name: Name = Field(min_length=1, max_length=200)
    fields: list[FormField] = Field(min_length=1, max_length=MAX_FIELDS)


class FormUpdate(FormFields):
    """Only the fields sent change."""


class FormRead(BaseModel):
    id: int
    name: str
    description: str | None
    fields: list[FormField]
    pipeline_id: int | None
    pipeline_stage_id: int | None
    tags: list[str]
    source: str
    submit_label: str
    success_message: str | None
    redirect_url: str | None
    is_active: bool
    public_key: str
    submissions_count: int
    created_at: datetime
    updated_at: datetime


class PublicForm(BaseModel):
    """What a public page needs of a form."""

    id: int
    public_key: str
    name: str
    description: str | None
    fields: list[FormField]
    submit_label: str
    success_message: str | None
    redirect_url: str | None


class SubmissionMeta(BaseModel):
    """What the channel knows besides the values: attribution, device, where it came from."""

    attribution: dict[str, str] = Field(default_factory=dict)
    ip_address: str | None = None
    user_agent: str | None = None
    channel_flow: str | None = None


class SubmissionRead(BaseModel):
    id: int
    form_id: int
    lead_id: int | None
    is_duplicate: bool
    data: dict[str, Any]
    attribution: dict[str, Any]
    created_at: datetime
