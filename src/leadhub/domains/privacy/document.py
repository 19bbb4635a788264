"""The export document: each record with every column it has (nothing held is left out), by
kind, and the files."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from leadhub.domains.exports.schemas import CONTENT_TYPES
from leadhub.domains.privacy.holdings import Holdings
from leadhub.domains.privacy.schemas import KINDS, HeldFile

# Internal columns that say nothing about the person.
_LEFT_OUT = frozenset({"workspace_id"})


def records(held: Holdings) -> dict[str, list[dict[str, Any]]]:
    """Every kind (empty ones too), each record as a JSON-ready object of its columns."""
    found: dict[str, list[dict[str, Any]]] = {
        "leads": [{**row(lead), "tags": held.tags.get(lead.id, [])} for lead in held.leads],
        "list_memberships": [
            {**row(member), "list_name": name} for member, name in held.memberships
        ],
        "form_submissions": rows(held.submissions),
        "lead_events": rows(held.events),
        "social_profiles": rows(held.profiles),
        "social_activities": rows(held.activities),
        "tracking_links": rows(held.tracking_links),
        "magnet_captures": rows(held.captures),
        "page_events": rows(held.page_events),
        "conversions": rows(held.conversions),
        "conversion_sends": rows(held.sends),
        "automation_runs": rows(held.runs),
        "webhook_deliveries": rows(held.deliveries),
        "jobs": rows(held.jobs),
        "search_history": rows(held.searches),
        "exports": rows(held.exports),
        "media": rows(held.media),
    }
    return {kind: found[kind] for kind in KINDS}


def held_files(held: Holdings) -> list[HeldFile]:
    """The stored files that hold the person; the surface adds each one's link."""
    media = [
        HeldFile(
            kind="media",
            id=record.uuid,
            filename=record.filename,
            content_type=record.content_type,
            size=record.stored_size,
            created_at=record.created_at,
            path=record.path,
        )
        for record in held.media
        if record.status == "stored"
    ]
    exports = [
        HeldFile(
            kind="export",
            id=str(record.id),
            filename=record.filename,
            content_type=CONTENT_TYPES.get(record.extension),
            size=record.file_size,
            created_at=record.created_at,
        )
        for record in held.exports
    ]
    return media + exports


def rows(records: list[Any]) -> list[dict[str, Any]]:
    return [row(record) for record in records]


def row(record: Any) -> dict[str, Any]:
    """A record's columns by attribute name, JSON-ready."""
    mapper = inspect(record).mapper
    return {
        attribute.key: plain(getattr(record, attribute.key))
        for attribute in mapper.column_attrs
        if attribute.key not in _LEFT_OUT
    }


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
