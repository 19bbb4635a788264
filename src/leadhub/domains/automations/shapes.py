"""Building blocks of the automation shapes: strict models and the lead fields they may name."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator

from leadhub.domains.leads.validation import normalize_label
from leadhub.kit.types import Text
from leadhub.models.lead import ATTRIBUTION_FIELDS

LeadField = Literal[
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "city",
    "state",
    "region",
    "country",
    "source",
    "status",
    "pipeline_id",
    "pipeline_stage_id",
    "assigned_user_id",
    "lead_score",
    "starred",
    "value",
    "unique_identifier",
    "form_id",
    "notes",
]
LEAD_FIELDS: tuple[str, ...] = get_args(LeadField)
CUSTOM_PREFIX = "custom_fields."
ATTRIBUTION_PREFIX = "attribution."
MAX_KEY_LENGTH = 64


class Shape(BaseModel):
    """Strict: unknown keys are refused, and values are not coerced ("5" is not 5)."""

    model_config = ConfigDict(extra="forbid", strict=True)


def custom_key(name: str) -> str | None:
    """KEY of `custom_fields.KEY`, None for any other name."""
    if not name.startswith(CUSTOM_PREFIX):
        return None
    key = name.removeprefix(CUSTOM_PREFIX)
    return key if key.strip() and len(key) <= MAX_KEY_LENGTH else None


def is_settable(name: str) -> bool:
    """A field an action may set: a lead field or `custom_fields.KEY`."""
    return name in LEAD_FIELDS or custom_key(name) is not None


def is_condition_field(name: str) -> bool:
    """A field a condition may test: settable ones, `tags`, `attribution.X`."""
    if is_settable(name) or name == "tags":
        return True
    return name.removeprefix(ATTRIBUTION_PREFIX) in ATTRIBUTION_FIELDS and name.startswith(
        ATTRIBUTION_PREFIX
    )


def _field_name(check: str) -> AfterValidator:
    def validate(value: str) -> str:
        accepted = is_settable(value) if check == "settable" else is_condition_field(value)
        if not accepted:
            extra = "" if check == "settable" else ", tags, attribution.X"
            raise ValueError(f"must be a lead field, custom_fields.KEY{extra}")
        return value

    return AfterValidator(validate)


def label(value: str) -> str:
    """A source or status as leads store it."""
    return normalize_label(value)


def _tag(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be blank")
    return text


ConditionField = Annotated[Text, Field(max_length=80), _field_name("condition")]
SettableField = Annotated[Text, Field(max_length=80), _field_name("settable")]
StatusLabel = Annotated[Text, Field(min_length=1, max_length=50), AfterValidator(label)]
TagName = Annotated[Text, Field(min_length=1, max_length=50), AfterValidator(_tag)]


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _scalar(max_length: int) -> Any:
    def validate(value: Any) -> str | int | float | bool | None:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            if len(value) > max_length or "\x00" in value:
                raise ValueError(f"must be at most {max_length} characters, without NUL")
            return value
        if isinstance(value, int | float):
            return _number(value)
        raise ValueError("must be a string, a number, true or false")

    return validate


# One value each, with one error message rather than one per member of a union.
Number = Annotated[int | float, PlainValidator(_number, json_schema_input_type=int | float)]
Scalar = Annotated[
    str | int | float | bool,
    PlainValidator(_scalar(1000), json_schema_input_type=str | int | float | bool),
]
NullableScalar = Annotated[
    str | int | float | bool | None,
    PlainValidator(_scalar(65_535), json_schema_input_type=str | int | float | bool | None),
]
