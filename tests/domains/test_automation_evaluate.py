"""The runner's pure functions: trigger matching, every condition operator, templates."""

from __future__ import annotations

from typing import Any

import pytest

from leadhub.domains.automations.evaluate import (
    condition_holds,
    conditions_hold,
    render,
    trigger_matches,
)

LEAD: dict[str, Any] = {
    "first_name": "Ann",
    "last_name": None,
    "email": "ann@example.com",
    "status": "new",
    "lead_score": 40,
    "value": 12.5,
    "pipeline_id": 1,
    "pipeline_stage_id": 2,
    "starred": False,
    "tags": ["VIP", "newsletter"],
    "custom_fields": {"budget": "1500", "plan": "pro", "empty": ""},
    "attribution": {"utm_source": "google", "utm_medium": None},
}


def holds(field: str, operator: str, value: Any = None) -> bool:
    condition: dict[str, Any] = {"field": field, "operator": operator}
    if value is not None:
        condition["value"] = value
    return condition_holds(condition, LEAD)


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("first_name", "equals", "ann", True),
        ("first_name", "equals", "Bob", False),
        ("lead_score", "equals", 40, True),
        ("custom_fields.budget", "equals", 1500, True),
        ("tags", "equals", "vip", True),
        ("attribution.utm_source", "equals", "Google", True),
        ("starred", "equals", False, True),
        ("first_name", "not_equals", "Bob", True),
        ("tags", "not_equals", "vip", False),
        ("email", "contains", "@EXAMPLE", True),
        ("email", "contains", "other", False),
        ("tags", "contains", "newsletter", True),
        ("last_name", "contains", "x", False),
        ("email", "not_contains", "other", True),
        ("tags", "not_contains", "vip", False),
        ("status", "in", ["won", "New"], True),
        ("status", "in", ["won", "lost"], False),
        ("tags", "in", ["cold", "vip"], True),
        ("custom_fields.plan", "not_in", ["free"], True),
        ("status", "not_in", ["new"], False),
        ("last_name", "empty", None, True),
        ("custom_fields.empty", "empty", None, True),
        ("custom_fields.missing", "empty", None, True),
        ("attribution.utm_medium", "empty", None, True),
        ("first_name", "empty", None, False),
        ("tags", "not_empty", None, True),
        ("last_name", "not_empty", None, False),
        ("lead_score", "greater_than", 39, True),
        ("lead_score", "greater_than", 40, False),
        ("value", "less_than", 13, True),
        ("custom_fields.budget", "greater_than", 1000, True),
        ("custom_fields.plan", "greater_than", 1, False),
        ("custom_fields.missing", "less_than", 1, False),
    ],
)
def test_every_operator(field: str, operator: str, value: Any, expected: bool) -> None:
    assert holds(field, operator, value) is expected


def test_all_or_any_of_the_conditions() -> None:
    true = {"field": "first_name", "operator": "equals", "value": "Ann"}
    false = {"field": "first_name", "operator": "equals", "value": "Bob"}
    assert conditions_hold([], "all", LEAD)
    assert conditions_hold([true, true], "all", LEAD)
    assert not conditions_hold([true, false], "all", LEAD)
    assert conditions_hold([true, false], "any", LEAD)
    assert not conditions_hold([false, false], "any", LEAD)


def matches(trigger: dict[str, Any], kind: str, **event: Any) -> bool:
    return trigger_matches(trigger, kind, event.get("changes", {}), event.get("data", {}), LEAD)


def test_each_trigger_type_matches_its_events_and_filters() -> None:
    for kind in ("lead_created", "lead_assigned", "lead_deleted", "form_submitted"):
        assert matches({"type": kind}, kind)
        assert not matches({"type": kind}, "lead_updated")
    assert matches({"type": "lead_updated"}, "lead_updated", changes={"email": ["a", "b"]})
    fields = {"type": "lead_updated", "fields": ["status"]}
    assert matches(fields, "lead_updated", changes={"status": ["new", "won"]})
    assert not matches(fields, "lead_updated", changes={"email": ["a", "b"]})
    stage = {"type": "stage_changed", "pipeline_id": 1, "stage_id": 3}
    assert matches(stage, "stage_changed", changes={"pipeline_stage_id": [2, 3]})
    assert not matches(stage, "stage_changed", changes={"pipeline_stage_id": [3, 4]})
    assert not matches(
        stage, "stage_changed", changes={"pipeline_id": [1, 9], "pipeline_stage_id": [2, 3]}
    )
    status = {"type": "status_changed", "status": "won"}
    assert matches(status, "status_changed", changes={"status": ["new", "won"]})
    assert not matches(status, "status_changed", changes={"status": ["won", "lost"]})
    for kind in ("tag_added", "tag_removed"):
        assert matches({"type": kind, "tag": "vip"}, kind, data={"tag": "VIP"})
        assert not matches({"type": kind, "tag": "vip"}, kind, data={"tag": "cold"})
        assert matches({"type": kind}, kind, data={"tag": "cold"})
    form = {"type": "form_submitted", "form_id": 7}
    assert matches(form, "form_submitted", data={"form_id": 7})
    assert not matches(form, "form_submitted", data={"form_id": 8})


def test_templates_fill_placeholders_and_nothing_else() -> None:
    text = "Hi {{ first_name }} ({{custom_fields.plan}}, {{attribution.utm_source}}){{nope}}"
    assert render(text, LEAD) == "Hi Ann (pro, google)"
    assert (
        render("{{tags}} {% for x in y %}{{ 7*7 }}", LEAD)
        == "VIP, newsletter {% for x in y %}{{ 7*7 }}"
    )
