"""The form builder's rows: read from a form or from the posted page, and turned into its data.

The builder is one HTML form: a row of inputs per field (`fields-<i>-name`, …), a few blank rows
to add fields, and buttons that add rows or move one up or down without saving (the page is
shown again), so it works without JavaScript; forms.js does the same in the page when it can.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from leadhub.domains.forms.schemas import CUSTOM_PREFIX, LEAD_TARGETS, MAX_FIELDS, FormRead
from leadhub.kit.attribution import FIELDS as ATTRIBUTION_FIELDS

FIELD_TYPES = (
    ("text", "Text"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("textarea", "Long text"),
    ("select", "Choice list"),
    ("checkbox", "Checkbox"),
    ("hidden", "Hidden"),
)
TARGET_GROUPS = (("Lead fields", LEAD_TARGETS), ("Attribution", ATTRIBUTION_FIELDS))
CUSTOM = "custom"
BLANK_ROWS = 3
MAX_ROWS = MAX_FIELDS + 10
_ATTRS = ("name", "label", "type", "options", "maps_to", "custom_key", "placeholder", "default")


@dataclass
class Row:
    """One field of the builder as the page shows it (all text, as typed)."""

    name: str = ""
    label: str = ""
    type: str = "text"
    required: bool = False
    options: str = ""
    maps_to: str = ""
    custom_key: str = ""
    placeholder: str = ""
    default: str = ""
    remove: bool = False
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        """Nothing typed in it: a type or a mapping alone does not make a field."""
        typed = (self.name, self.label, self.options, self.custom_key, self.placeholder)
        return not any(text.strip() for text in (*typed, self.default))


def starter_rows() -> list[Row]:
    """What a new form starts with: a name and an email, and room for more."""
    return [
        Row(name="first_name", label="First name", required=True, maps_to="first_name"),
        Row(name="email", label="Email", type="email", required=True, maps_to="email"),
        *blank_rows(),
    ]


def blank_rows(count: int = BLANK_ROWS) -> list[Row]:
    return [Row() for _ in range(count)]


def rows_of(form: FormRead) -> list[Row]:
    """A saved form's fields as rows, and blank rows to add more."""
    rows = []
    for item in form.fields:
        target = item.maps_to or ""
        custom = target.startswith(CUSTOM_PREFIX)
        rows.append(
            Row(
                name=item.name,
                label=item.label or "",
                type=item.type,
                required=item.required,
                options="\n".join(item.options or []),
                maps_to=CUSTOM if custom else target,
                custom_key=target.removeprefix(CUSTOM_PREFIX) if custom else "",
                placeholder=item.placeholder or "",
                default=item.default or "",
            )
        )
    return rows + blank_rows()


def rows_from(posted: Mapping[str, Any]) -> list[Row]:
    """The rows as posted, in their order (each row's `position`)."""
    count = _int(posted.get("row_count"), 0)
    found: list[tuple[int, int, Row]] = []
    for index in range(min(count, MAX_ROWS)):
        prefix = f"fields-{index}-"
        row = Row(
            required=prefix + "required" in posted,
            remove=prefix + "remove" in posted,
        )
        for name in _ATTRS:
            setattr(row, name, _text(posted.get(prefix + name)))
        found.append((_int(posted.get(prefix + "position"), index), index, row))
    return [row for _position, _index, row in sorted(found, key=lambda item: item[:2])]


def rearrange(rows: list[Row], action: str) -> list[Row]:
    """A builder button: "add" rows, or move row i "up-i" / "down-i" (nothing is saved)."""
    rows = [replace(row, errors={}) for row in rows]
    if action == "add":
        return rows + blank_rows()
    direction, _, number = action.partition("-")
    index = _int(number, -1)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= index < len(rows) and 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows


def fields_data(rows: list[Row]) -> tuple[list[dict[str, Any]], list[int]]:
    """The fields to save (blank and removed rows left out), and each one's row number."""
    fields: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    for number, row in enumerate(rows):
        if row.remove or row.blank:
            continue
        fields.append(_field(row))
        row_numbers.append(number)
    return fields, row_numbers


def place_errors(
    rows: list[Row], row_numbers: list[int], errors: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """Put "fields.<n>.<attr>" messages on their rows; the others are answered by field name."""
    rest: dict[str, list[str]] = {}
    for path, messages in errors.items():
        parts = path.split(".")
        if parts[0] != "fields" or len(parts) < 2 or not parts[1].isdigit():
            key = _page_field(parts[0])
            rest.setdefault(key, []).extend(messages)
            continue
        position = int(parts[1])
        if position >= len(row_numbers):
            rest.setdefault("fields", []).extend(messages)
            continue
        attr = parts[2] if len(parts) > 2 else _attr_of(messages)
        rows[row_numbers[position]].errors.setdefault(attr, []).extend(messages)
    return rest


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas."""
    return [item.strip() for item in re.split(r"[\n,]", text) if item.strip()]


def _field(row: Row) -> dict[str, Any]:
    name = row.name.strip() or _name_from(row.label)
    target: str | None = row.maps_to.strip() or None
    if target == CUSTOM:
        target = CUSTOM_PREFIX + (row.custom_key.strip() or name)
    return {
        "name": name,
        "label": row.label.strip() or None,
        "type": row.type or "text",
        "required": row.required,
        "options": split_list(row.options) or None,
        "maps_to": target,
        "placeholder": row.placeholder.strip() or None,
        "default": row.default.strip() or None,
    }


def _name_from(label: str) -> str:
    """A field name made from its label ("Company size" → company_size)."""
    name = re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")
    return f"field_{name}" if name[:1].isdigit() else name


def _attr_of(messages: list[str]) -> str:
    """Where a message about a whole field belongs (its options or its mapping)."""
    text = " ".join(messages).lower()
    if "option" in text:
        return "options"
    if "maps_to" in text or "lead field" in text:
        return "maps_to"
    return "row"


def _page_field(name: str) -> str:
    return "default_stage" if name in ("pipeline_id", "pipeline_stage_id") else name


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any, fallback: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return fallback
