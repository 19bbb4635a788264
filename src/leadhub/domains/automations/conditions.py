"""What must hold of the lead for an automation to run: field, operator, value."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from leadhub.domains.automations.shapes import ConditionField, Number, Scalar, Shape, custom_key

MAX_CONDITIONS = 50
# Fields whose values are numbers; custom fields may hold numbers too.
NUMERIC_FIELDS = frozenset({"lead_score", "value"})


class CompareCondition(Shape):
    """`equals`, `not_equals`, `contains`, `not_contains` take one value."""

    field: ConditionField
    operator: Literal["equals", "not_equals", "contains", "not_contains"]
    value: Scalar


class OneOfCondition(Shape):
    """`in` and `not_in` take a list of values."""

    field: ConditionField
    operator: Literal["in", "not_in"]
    value: list[Scalar] = Field(min_length=1, max_length=100)


class PresenceCondition(Shape):
    """`empty` and `not_empty` take no value."""

    field: ConditionField
    operator: Literal["empty", "not_empty"]


class ThresholdCondition(Shape):
    """`greater_than` and `less_than` take a number, on numeric fields only."""

    field: ConditionField
    operator: Literal["greater_than", "less_than"]
    value: Number

    @model_validator(mode="after")
    def _numeric_field(self) -> ThresholdCondition:
        if self.field not in NUMERIC_FIELDS and custom_key(self.field) is None:
            raise ValueError(f"{self.operator} applies to lead_score, value or custom_fields.KEY")
        return self


Condition = Annotated[
    CompareCondition | OneOfCondition | PresenceCondition | ThresholdCondition,
    Field(discriminator="operator"),
]
