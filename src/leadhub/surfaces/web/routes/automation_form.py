"""The automation builder's plain form: rows of conditions and actions to and from the shapes the
automation service takes, and the service's messages put beside the row they are about."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

from leadhub.domains.automations.schemas import AutomationRead
from leadhub.surfaces.web.routes.settings_common import text, texts

BLANK_ROWS = 3
MAX_ROWS = 50
TRIGGERS = [
    ("lead_created", "Lead created"),
    ("lead_updated", "Lead updated"),
    ("stage_changed", "Stage changed"),
    ("status_changed", "Status changed"),
    ("tag_added", "Tag added"),
    ("tag_removed", "Tag removed"),
    ("lead_assigned", "Lead assigned"),
    ("form_submitted", "Form submitted"),
    ("lead_deleted", "Lead deleted"),
]
OPERATORS = [
    ("equals", "equals"),
    ("not_equals", "does not equal"),
    ("contains", "contains"),
    ("not_contains", "does not contain"),
    ("in", "is one of (comma-separated)"),
    ("not_in", "is none of (comma-separated)"),
    ("empty", "is empty"),
    ("not_empty", "is not empty"),
    ("greater_than", "is greater than"),
    ("less_than", "is less than"),
]
ACTIONS = [
    ("add_tag", "Add tag (target: tag)"),
    ("remove_tag", "Remove tag (target: tag)"),
    ("set_field", "Set field (target: field, value)"),
    ("set_status", "Set status (target: status)"),
    ("move_to_stage", "Move to stage (stage)"),
    ("assign_user", "Assign to user (first user chosen)"),
    ("assign_round_robin", "Assign round robin (users chosen)"),
    ("change_score", "Change score (value: amount)"),
    ("send_email", "Send email (target: to, value: subject, text: body)"),
    ("post_to_slack", "Post to Slack (integration, text: message)"),
    ("call_webhook", "Call webhook (target: URL)"),
    ("wait", "Wait (value: minutes)"),
]
_NUMERIC_FIELDS = frozenset(
    {"lead_score", "pipeline_id", "pipeline_stage_id", "assigned_user_id", "form_id", "value"}
)
_ROW = re.compile(r"^(conditions|actions)\.(\d+)(?:\.|$)")


# -- posted form → service input ------------------------------------------------------------


RowMap = dict[str, list[int]]


def automation_data(form: FormData) -> tuple[dict[str, Any], RowMap]:
    """The service's input from the posted builder (blank rows left out), and for each
    condition and action the number of the form row it came from."""
    conditions = [(i, _condition(form, i)) for i in _rows(form, "c")]
    actions = [(i, _action(form, i)) for i in _rows(form, "a")]
    data = {
        "name": text(form, "name").strip(),
        "description": text(form, "description").strip() or None,
        "trigger": _trigger(form),
        "match": text(form, "match") or "all",
        "conditions": [row for _i, row in conditions if row],
        "actions": [row for _i, row in actions if row],
    }
    rows = {
        "conditions": [i for i, row in conditions if row],
        "actions": [i for i, row in actions if row],
    }
    return data, rows


def _rows(form: FormData, prefix: str) -> range:
    count = _int(text(form, f"{prefix}_rows"))
    return range(min(count if isinstance(count, int) else 0, MAX_ROWS))


def _trigger(form: FormData) -> dict[str, Any]:
    kind = text(form, "trigger_type")
    trigger: dict[str, Any] = {"type": kind}
    filters = {
        "lead_updated": ["fields"],
        "stage_changed": ["pipeline_id", "stage_id"],
        "status_changed": ["status"],
        "tag_added": ["tag"],
        "tag_removed": ["tag"],
        "form_submitted": ["form_id"],
    }.get(kind, [])
    for name in filters:
        raw = text(form, f"trigger_{name}").strip()
        if not raw:
            continue
        if name == "fields":
            trigger[name] = [part.strip() for part in raw.split(",") if part.strip()]
        elif name.endswith("_id"):
            trigger[name] = _int(raw)
        else:
            trigger[name] = raw
    return trigger


def _condition(form: FormData, index: int) -> dict[str, Any] | None:
    field = text(form, f"c{index}_field").strip()
    if not field:
        return None
    operator = text(form, f"c{index}_operator")
    raw = text(form, f"c{index}_value").strip()
    condition: dict[str, Any] = {"field": field, "operator": operator}
    if operator in ("in", "not_in"):
        condition["value"] = [part.strip() for part in raw.split(",") if part.strip()]
    elif operator in ("greater_than", "less_than"):
        condition["value"] = _number(raw)
    elif operator not in ("empty", "not_empty"):
        condition["value"] = raw
    return condition


def _action(form: FormData, index: int) -> dict[str, Any] | None:
    kind = text(form, f"a{index}_type")
    if not kind:
        return None
    target = text(form, f"a{index}_target").strip()
    value = text(form, f"a{index}_value").strip()
    body = text(form, f"a{index}_text")
    users = [_int(one) for one in texts(form, f"a{index}_user_ids") if one]
    integration = _int(text(form, f"a{index}_integration_id")) or None
    action: dict[str, Any] = {"type": kind}
    if kind in ("add_tag", "remove_tag"):
        action["tag"] = target
    elif kind == "set_field":
        action.update(field=target, value=_field_value(target, value))
    elif kind == "set_status":
        action["status"] = target
    elif kind == "move_to_stage":
        action["stage_id"] = _int(text(form, f"a{index}_stage_id"))
    elif kind == "assign_user":
        action["user_id"] = users[0] if users else None
    elif kind == "assign_round_robin":
        action["user_ids"] = users
    elif kind == "change_score":
        action["amount"] = _int(value)
    elif kind == "send_email":
        action.update(to=target, subject=value, body=body, integration_id=integration)
    elif kind == "post_to_slack":
        action.update(message=body, integration_id=integration)
    elif kind == "call_webhook":
        action.update(url=target, integration_id=integration)
    elif kind == "wait":
        action["minutes"] = _int(value)
    return action


def _field_value(field: str, raw: str) -> Any:
    if not raw:
        return None
    if field == "starred":
        return {"true": True, "yes": True, "false": False, "no": False}.get(raw.lower(), raw)
    if field in _NUMERIC_FIELDS:
        return _number(raw)
    return raw


def _int(raw: str) -> Any:
    """An integer, or the text itself so that the service names the row that is wrong."""
    try:
        return int(raw.strip())
    except ValueError:
        return raw or None


def _number(raw: str) -> Any:
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return raw


# -- stored automation → rows --------------------------------------------------------------


def values_of(automation: AutomationRead | None) -> dict[str, Any]:
    """The builder's values: the automation's own, and a few blank rows to add more."""
    if automation is None:
        return {
            "name": "",
            "description": "",
            "trigger": {"type": "lead_created"},
            "match": "all",
            "conditions": _pad([]),
            "actions": _pad([]),
        }
    return {
        "name": automation.name,
        "description": automation.description or "",
        "trigger": _trigger_values(automation.trigger.model_dump()),
        "match": automation.match,
        "conditions": _pad([_condition_values(c.model_dump()) for c in automation.conditions]),
        "actions": _pad([_action_values(a.model_dump()) for a in automation.actions]),
    }


def posted_values(form: FormData) -> dict[str, Any]:
    """The builder's values as posted, to show them again beside the messages."""
    conditions = [
        {key: text(form, f"c{i}_{key}") for key in ("field", "operator", "value")}
        for i in _rows(form, "c")
    ]
    actions = [
        {
            **{key: text(form, f"a{i}_{key}") for key in _ACTION_KEYS},
            "user_ids": texts(form, f"a{i}_user_ids"),
        }
        for i in _rows(form, "a")
    ]
    trigger = {"type": text(form, "trigger_type")}
    for name in ("fields", "pipeline_id", "stage_id", "status", "tag", "form_id"):
        trigger[name] = text(form, f"trigger_{name}")
    return {
        "name": text(form, "name"),
        "description": text(form, "description"),
        "trigger": trigger,
        "match": text(form, "match") or "all",
        "conditions": conditions,
        "actions": actions,
    }


_ACTION_KEYS = ("type", "target", "value", "text", "stage_id", "integration_id")


def _pad(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return rows + [{} for _ in range(BLANK_ROWS)]


def _trigger_values(trigger: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in trigger.items() if value is not None}
    if isinstance(values.get("fields"), list):
        values["fields"] = ", ".join(values["fields"])
    return values


def _condition_values(condition: dict[str, Any]) -> dict[str, Any]:
    value = condition.get("value")
    if isinstance(value, list):
        value = ", ".join(str(one) for one in value)
    return {**condition, "value": "" if value is None else value}


def _action_values(action: dict[str, Any]) -> dict[str, Any]:
    kind = action["type"]
    values: dict[str, Any] = {"type": kind, "integration_id": action.get("integration_id") or ""}
    values["target"] = (
        action.get("tag")
        or action.get("field")
        or action.get("status")
        or action.get("to")
        or action.get("url")
        or ""
    )
    raw = action.get("value", action.get("amount", action.get("minutes", action.get("subject"))))
    values["value"] = "" if raw is None else raw
    values["text"] = action.get("body") or action.get("message") or ""
    values["stage_id"] = action.get("stage_id") or ""
    users = action.get("user_ids") or ([action["user_id"]] if action.get("user_id") else [])
    values["user_ids"] = [str(one) for one in users]
    return values


# -- messages beside their rows -------------------------------------------------------------


def row_errors(errors: dict[str, list[str]], rows: RowMap | None = None) -> dict[str, Any]:
    """{"general": {field: msgs}, "conditions": {form row: [msgs]}, "actions": {form row:
    [msgs]}, "trigger": [msgs]}."""
    grouped: dict[str, Any] = {"general": {}, "conditions": {}, "actions": {}, "trigger": []}
    for key, messages in errors.items():
        match = _ROW.match(key)
        if match:
            part, index = match.group(1), int(match.group(2))
            sources = (rows or {}).get(part, [])
            row = sources[index] if index < len(sources) else index
            found = grouped[part].setdefault(row, [])
            found.extend(_with_field(key, message) for message in messages)
        elif key.startswith("trigger"):
            grouped["trigger"].extend(_with_field(key, message) for message in messages)
        else:
            grouped["general"][key] = messages
    return grouped


def _with_field(key: str, message: str) -> str:
    field = key.rsplit(".", 1)[-1].replace("_", " ")
    if field.isdigit() or field in message.lower():
        return message
    return f"{field}: {message}"
