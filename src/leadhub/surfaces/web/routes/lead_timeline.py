"""A lead's events as sentences: "Status changed from new to contacted by Olivia Owner"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadhub.domains.events import schemas as kinds
from leadhub.domains.events.actors import ActorKey
from leadhub.domains.events.schemas import EventRead
from leadhub.surfaces.web.routes.conversion_support import platform
from leadhub.surfaces.web.routes.lead_support import Choices

FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "company": "Company",
    "job_title": "Job title",
    "city": "City",
    "state": "State",
    "region": "Region",
    "country": "Country",
    "source": "Source",
    "status": "Status",
    "lead_score": "Score",
    "starred": "Starred",
    "notes": "Notes",
    "value": "Value",
    "unique_identifier": "Unique identifier",
    "form_id": "Form",
    "utm_source": "UTM source",
    "utm_medium": "UTM medium",
    "utm_campaign": "UTM campaign",
    "utm_term": "UTM term",
    "utm_content": "UTM content",
    "landing_page": "Landing page",
    "referrer": "Referrer",
    "conversion_label_id": "Conversion label",
    "channel_flow": "Channel flow",
    "form_name": "Form name",
}
# These changes have events of their own (status_changed, …); lead_updated does not repeat them.
_SPECIFIC = frozenset(
    {"status", "pipeline_id", "pipeline_stage_id", "assigned_user_id", "conversion_label_id"}
)
_CONVERSIONS = frozenset(
    {
        kinds.LEAD_RATED,
        kinds.CONVERSION_QUEUED,
        kinds.CONVERSION_SENT,
        kinds.CONVERSION_FAILED,
        kinds.CONVERSION_PROCESSED,
    }
)
# How a settled conversion went, as the timeline says it.
_OUTCOMES = {
    "sent": "sent to every platform",
    "partial": "sent to some platforms, failed at others",
    "failed": "failed at every platform",
    "recorded": "recorded (nothing was sent)",
}
_MAX_VALUE = 80


@dataclass(frozen=True)
class Entry:
    """One line of the timeline, and the details beneath it."""

    kind: str
    what: str
    actor: str | None
    when: datetime
    details: list[str] = field(default_factory=list)


def entries(
    events: list[EventRead], *, actors: Mapping[ActorKey, str], choices: Choices
) -> list[Entry]:
    """The events as entries, newest first; a lead_updated holding only specific changes is left
    out (its own status, stage or owner event says it)."""
    found = []
    for event in events:
        entry = _describe(event, _Namer(choices), _actor(event, actors))
        if entry is not None:
            found.append(entry)
    return found


def _actor(event: EventRead, actors: Mapping[ActorKey, str]) -> str:
    if event.actor_type == "user":
        return actors.get(("user", event.actor_id or 0), "a former user")
    if event.actor_type == "api_key":
        name = actors.get(("api_key", event.actor_id or 0))
        return f"API key {name}" if name else "a deleted API key"
    return "LeadHub"


class _Namer:
    """Values as people read them: names for ids, "empty" for nothing."""

    def __init__(self, choices: Choices) -> None:
        self.choices = choices
        self.by_field: dict[str, Callable[[Any], str | None]] = {
            "assigned_user_id": choices.user_name,
            "pipeline_stage_id": choices.stage_name,
            "pipeline_id": choices.pipeline_name,
            "form_id": choices.form_name,
            "value": lambda v: f"{float(v):,.2f}",
        }

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return "empty"
        if isinstance(value, bool):
            return "yes" if value else "no"
        named = self.by_field[name](value) if name in self.by_field else str(value)
        text = named or "empty"
        return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"

    def change(self, name: str, old: Any, new: Any) -> list[str]:
        if name == "custom_fields":
            return _custom_field_changes(self, old or {}, new or {})
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        return [f"{label}: {self.value(name, old)} → {self.value(name, new)}"]


def _describe(event: EventRead, namer: _Namer, actor: str) -> Entry | None:
    def entry(what: str, details: list[str] | None = None, by: str | None = actor) -> Entry:
        return Entry(event.type, what, by, event.created_at, details or [])

    changes, data = event.changes, event.data
    if event.type == kinds.LEAD_CREATED:
        tags = ", ".join(data.get("tags") or [])
        source = data.get("source") or "unknown"
        return entry(f"Lead created (source: {source})", [f"Tags: {tags}"] if tags else [])
    if event.type == kinds.STATUS_CHANGED:
        old, new = changes.get("status", [None, None])
        before, after = namer.value("status", old), namer.value("status", new)
        return entry(f"Status changed from {before} to {after}")
    if event.type == kinds.STAGE_CHANGED:
        old, new = changes.get("pipeline_stage_id", [None, None])
        return entry(_stage_move(namer, old, new))
    if event.type == kinds.LEAD_ASSIGNED:
        old, new = changes.get("assigned_user_id", [None, None])
        if new is None:
            return entry(f"Unassigned from {namer.value('assigned_user_id', old)}")
        return entry(f"Assigned to {namer.value('assigned_user_id', new)}")
    if event.type in (kinds.TAG_ADDED, kinds.TAG_REMOVED):
        verb = "added" if event.type == kinds.TAG_ADDED else "removed"
        return entry(f"Tag “{data.get('tag', '')}” {verb}")
    if event.type == kinds.FORM_SUBMITTED:
        return _form_submitted(event, entry, actor)
    if event.type == kinds.LEAD_UPDATED:
        return _updated(event, namer, entry)
    if event.type == kinds.LEAD_DELETED:
        return entry("Lead deleted")
    if event.type in _CONVERSIONS:
        return _conversion(event, entry)
    return entry(event.type.replace("_", " ").capitalize())


def _stage_move(namer: _Namer, old: Any, new: Any) -> str:
    if old is None:
        return f"Put in stage {namer.value('pipeline_stage_id', new)}"
    if new is None:
        return f"Taken out of stage {namer.value('pipeline_stage_id', old)}"
    old_name, new_name = (
        namer.value("pipeline_stage_id", old),
        namer.value("pipeline_stage_id", new),
    )
    return f"Stage changed from {old_name} to {new_name}"


def _form_submitted(event: EventRead, entry: Callable[..., Entry], actor: str) -> Entry:
    name = event.data.get("form_name") or f"#{event.data.get('form_id')}"
    details = ["Matched this existing lead"] if event.data.get("is_duplicate") else []
    # A visitor, not LeadHub, fills in a public form: name only a key that submitted it.
    return entry(f"Form “{name}” submitted", details, None if actor == "LeadHub" else actor)


def _updated(event: EventRead, namer: _Namer, entry: Callable[..., Entry]) -> Entry | None:
    details = [
        line
        for name, pair in event.changes.items()
        if name not in _SPECIFIC and isinstance(pair, list) and len(pair) == 2
        for line in namer.change(name, pair[0], pair[1])
    ]
    if not details:
        return None
    if event.data.get("merged_duplicate"):
        return entry("Details filled in from a duplicate", details)
    return entry("Details updated", details)


def _custom_field_changes(namer: _Namer, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            before = namer.value("custom_fields", old.get(key))
            after = namer.value("custom_fields", new.get(key))
            lines.append(f"Custom field “{key}”: {before} → {after}")
    return lines


def _conversion(event: EventRead, entry: Callable[..., Entry]) -> Entry:
    """Rated, queued, sent or failed at one platform, settled."""
    data = event.data
    label = str(data.get("label") or "a deleted label")
    if event.type == kinds.LEAD_RATED:
        return entry("Rated as lost" if label == "Lost" else f"Rated “{label}”")
    if event.type == kinds.CONVERSION_QUEUED:
        sends = int(data.get("sends") or 0)
        warnings = [f"Not sent: {text}" for text in data.get("warnings") or []]
        where = f"{sends} platform{'' if sends == 1 else 's'}" if sends else "no platform"
        return entry(f"Conversion “{label}” queued for {where}", warnings)
    if event.type == kinds.CONVERSION_PROCESSED:
        outcome = str(data.get("outcome") or "")
        return entry(f"Conversion “{label}” {_OUTCOMES.get(outcome, outcome or 'settled')}")
    where = f"{data.get('integration') or 'a deleted integration'}"
    where += f" ({platform(str(data.get('destination') or ''))})"
    attempts = int(data.get("attempts") or 0)
    details = [f"Target: {data.get('target')}"] if data.get("target") else []
    details.append(f"{attempts} attempt{'' if attempts == 1 else 's'}")
    if data.get("detail"):
        details.append(str(data["detail"]))
    if event.type == kinds.CONVERSION_SENT:
        return entry(f"Conversion sent to {where}", details)
    return entry(f"Conversion to {where} failed", details)
