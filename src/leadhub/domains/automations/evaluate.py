"""Pure functions of the runner: does a trigger match an event, do the conditions hold of a lead,
and the text of a template with the lead's values in it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from leadhub.domains.automations.shapes import ATTRIBUTION_PREFIX, CUSTOM_PREFIX

Facts = Mapping[str, Any]
"""A lead as the runner sees it: its fields, `custom_fields`, `tags` and `attribution`."""

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")


# -- triggers ----------------------------------------------------------------------------------


def trigger_matches(
    trigger: Mapping[str, Any],
    event_type: str,
    changes: Mapping[str, Any],
    data: Mapping[str, Any],
    lead: Facts,
) -> bool:
    """Whether an event of this type, with these changes and data, fires the trigger."""
    if trigger.get("type") != event_type:
        return False
    kind = event_type
    if kind == "lead_updated" and trigger.get("fields"):
        return any(field in changes for field in trigger["fields"])
    if kind == "stage_changed":
        pipeline = _new(changes, "pipeline_id", lead.get("pipeline_id"))
        stage = _new(changes, "pipeline_stage_id", lead.get("pipeline_stage_id"))
        return _wanted(trigger.get("pipeline_id"), pipeline) and _wanted(
            trigger.get("stage_id"), stage
        )
    if kind == "status_changed" and trigger.get("status") is not None:
        return same(_new(changes, "status", lead.get("status")), trigger["status"])
    if kind in ("tag_added", "tag_removed") and trigger.get("tag") is not None:
        return same(data.get("tag"), trigger["tag"])
    if kind == "form_submitted":
        return _wanted(trigger.get("form_id"), data.get("form_id"))
    return True


def _new(changes: Mapping[str, Any], field: str, current: Any) -> Any:
    change = changes.get(field)
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[1]
    return current


def _wanted(expected: Any, actual: Any) -> bool:
    return expected is None or expected == actual


# -- conditions --------------------------------------------------------------------------------


def conditions_hold(conditions: Sequence[Mapping[str, Any]], match: str, lead: Facts) -> bool:
    """All (or any, with match "any") of the conditions hold; no conditions always hold."""
    if not conditions:
        return True
    results = (condition_holds(condition, lead) for condition in conditions)
    return any(results) if match == "any" else all(results)


def condition_holds(condition: Mapping[str, Any], lead: Facts) -> bool:
    """One condition: field, operator, value."""
    field = str(condition["field"])
    operator = str(condition["operator"])
    expected = condition.get("value")
    actual = value_of(lead, field)
    if operator.startswith("not_") and operator != "not_empty":
        return not condition_holds({**condition, "operator": operator.removeprefix("not_")}, lead)
    if operator == "equals":
        return _any_item(actual, lambda item: same(item, expected))
    if operator == "contains":
        return _contains(actual, expected)
    if operator == "in":
        return _any_item(actual, lambda item: any(same(item, one) for one in expected or []))
    if operator == "empty":
        return is_empty(actual)
    if operator == "not_empty":
        return not is_empty(actual)
    if operator in ("greater_than", "less_than"):
        number, limit = as_number(actual), as_number(expected)
        if number is None or limit is None:
            return False
        return number > limit if operator == "greater_than" else number < limit
    raise ValueError(f"unknown operator {operator!r}")


def value_of(lead: Facts, field: str) -> Any:
    """The value a condition or a placeholder names: a field, `custom_fields.KEY`, `tags`,
    `attribution.X`."""
    if field.startswith(CUSTOM_PREFIX):
        return (lead.get("custom_fields") or {}).get(field.removeprefix(CUSTOM_PREFIX))
    if field.startswith(ATTRIBUTION_PREFIX):
        return (lead.get("attribution") or {}).get(field.removeprefix(ATTRIBUTION_PREFIX))
    return lead.get(field)


def same(actual: Any, expected: Any) -> bool:
    """Equal, ignoring case for text and comparing numbers by value ("5" equals 5)."""
    if actual is None or expected is None:
        return actual is None and expected is None
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected or str(actual).lower() == str(expected).lower()
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.strip().casefold() == expected.strip().casefold()
    left, right = as_number(actual), as_number(expected)
    if left is not None and right is not None:
        return left == right
    return bool(actual == expected)


def as_number(value: Any) -> float | None:
    """A number, or text that reads as one; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set):
        return len(value) == 0
    return False


def _any_item(actual: Any, test: Any) -> bool:
    """The test on a value, or on any item of a list (tags, list custom fields)."""
    if isinstance(actual, list | tuple):
        return any(test(item) for item in actual)
    return bool(test(actual))


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list | tuple):
        return any(same(item, expected) for item in actual)
    if actual is None:
        return False
    return str(expected).casefold() in str(actual).casefold()


# -- templates ---------------------------------------------------------------------------------


def render(template: str, lead: Facts) -> str:
    """`{{first_name}}`, `{{custom_fields.KEY}}`, `{{attribution.utm_source}}` replaced by the
    lead's values (empty when unset); nothing else in the text is interpreted."""

    def substitute(match: re.Match[str]) -> str:
        value = value_of(lead, match.group(1))
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    return _PLACEHOLDER.sub(substitute, template)
