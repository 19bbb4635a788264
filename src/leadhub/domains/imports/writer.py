"""Turning rows into leads, a batch at a time: validate each row with the leads' own rules, find
the batch's duplicates with one query, insert the new leads with one statement, and put every
row's lead in the import's list.

Duplicates are matched like inbound intake: by email (case-insensitive, stored lower-cased), else
by phone (E.164). A match fills the lead's empty fields and merges tags and custom fields when
duplicates are updated, and is left alone when they are skipped. Rows of the same file that name
the same person become one lead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table, insert, or_
from sqlalchemy.orm import Session

from leadhub.domains.imports.mapping import CUSTOM_PREFIX
from leadhub.domains.imports.reader import Row
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadFields
from leadhub.domains.leads.validation import clean_values, label
from leadhub.domains.lists.repository import ListRepository
from leadhub.domains.tags.repository import TagRepository
from leadhub.kit.attribution import FIELDS as ATTRIBUTION_FIELDS
from leadhub.models import Lead, reserve_lead_ids

# What a duplicate never overwrites through the generic fill (email and phone are checked apart).
_NOT_FILLED = frozenset({"custom_fields", "email", "phone"})
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_ATTRIBUTION = frozenset(ATTRIBUTION_FIELDS)
_NEW_LEAD_DEFAULTS: dict[str, Any] = {"status": "new", "lead_score": 0, "starred": False}
_LEADS: Table = Lead.__table__  # type: ignore[assignment]


@dataclass
class Parsed:
    """A valid row: the lead's column values and its tags."""

    line: int
    values: dict[str, Any]
    tags: list[str]


@dataclass
class Failed:
    line: int
    reason: str


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    lead_ids: list[int] = field(default_factory=list)


def parse_rows(rows: Sequence[Row], mapping: Sequence[str], region: str) -> list[Parsed | Failed]:
    return [parse_row(row, mapping, region) for row in rows]


def parse_row(row: Row, mapping: Sequence[str], region: str) -> Parsed | Failed:
    """The row's lead values, checked by the same rules as every other way leads come in
    (the mapping has no references to other records, so no database is needed)."""
    if row.problem:
        return Failed(row.line, row.problem)
    try:
        data = LeadFields.model_validate(_fields(row.cells, mapping))
    except ValidationError as exc:
        return Failed(row.line, _pydantic_reason(exc))
    values, tags, errors = clean_values(data, region=region)
    if errors:
        return Failed(
            row.line, " ".join(message for messages in errors.values() for message in messages)
        )
    if not any(values.get(name) for name in ("email", "phone", "first_name")):
        return Failed(row.line, "The row has no email, phone or name.")
    return Parsed(row.line, {k: v for k, v in values.items() if v is not None}, tags or [])


def _fields(cells: Sequence[str], mapping: Sequence[str]) -> dict[str, Any]:
    """The LeadFields input of a row: only non-blank cells, so blank ones change nothing."""
    fields: dict[str, Any] = {}
    custom: dict[str, str] = {}
    attribution: dict[str, str] = {}
    full_name = None
    for cell, target in zip(cells, mapping, strict=False):
        text = cell.strip()
        if not target or not text:
            continue
        if target == "full_name":
            full_name = text
        elif target == "tags":
            tags = [tag for tag in (part.strip() for part in text.split(",")) if tag]
            fields["tags"] = [*fields.get("tags", []), *tags]
        elif target == "value":
            fields["value"] = _amount(text)
        elif target.startswith(CUSTOM_PREFIX):
            custom[target[len(CUSTOM_PREFIX) :]] = text
        elif target in _ATTRIBUTION:
            attribution[target] = text
        else:
            fields[target] = text
    if full_name and "first_name" not in fields:
        first, _, last = full_name.partition(" ")
        fields["first_name"] = first
        if last.strip() and "last_name" not in fields:
            fields["last_name"] = last.strip()
    if custom:
        fields["custom_fields"] = custom
    if attribution:
        fields["attribution"] = attribution
    return fields


def _amount(text: str) -> str:
    """ "$1,250.00" → "1250.00": a currency sign and thousands separators are not the number."""
    number = text.lstrip("$€£¥ ").replace(" ", "")
    return number.replace(",", "") if _THOUSANDS.match(number) else number


def _pydantic_reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = label(".".join(str(part) for part in error["loc"] if not isinstance(part, int)))
        parts.append(f"The {where} field: {error['msg'].lower()}.")
    return " ".join(parts)


class _Index:
    """Who holds each email and phone among the batch's candidates and its new leads."""

    def __init__(self, leads: Sequence[Lead]) -> None:
        self.email: dict[str, Lead | int] = {lead.email: lead for lead in leads if lead.email}
        self.phone: dict[str, Lead | int] = {lead.phone: lead for lead in leads if lead.phone}

    def match(self, values: Mapping[str, Any]) -> Lead | int | None:
        email, phone = values.get("email"), values.get("phone")
        found = self.email.get(email) if email else None
        if found is None and phone:
            found = self.phone.get(phone)
        return found

    def claim(self, name: str, value: str | None, owner: Lead | int) -> bool:
        """Give the value to the owner if nobody else holds it."""
        if not value:
            return False
        held = getattr(self, name)
        if held.get(value, owner) is not owner:
            return False
        held[value] = owner
        return True


def write_batch(
    session: Session,
    workspace_id: int,
    *,
    list_id: int | None,
    rows: Sequence[Parsed],
    on_duplicate: str,
    source: str,
    now: datetime,
) -> BatchResult:
    """Write one batch of valid rows; the caller commits it with the import's progress."""
    repo = LeadRepository(session, workspace_id)
    index = _Index(_candidates(repo, rows))
    result = BatchResult()
    new_rows: list[dict[str, Any]] = []
    tags_of: list[tuple[Lead | int, list[str]]] = []
    for row in rows:
        match = index.match(row.values)
        if match is None:
            new_rows.append(_new_values(row.values, workspace_id, source, now))
            position = len(new_rows) - 1
            index.claim("email", row.values.get("email"), position)
            index.claim("phone", row.values.get("phone"), position)
            tags_of.append((position, row.tags))
            result.created += 1
        elif on_duplicate == "skip":
            tags_of.append((match, []))
            result.skipped += 1
        else:
            target = new_rows[match] if isinstance(match, int) else match
            _fill(target, row.values, index, match, now)
            tags_of.append((match, row.tags))
            result.updated += 1
    new_ids = _insert(session, new_rows)
    lead_tags = [
        (new_ids[owner] if isinstance(owner, int) else owner.id, names) for owner, names in tags_of
    ]
    _tag(session, workspace_id, lead_tags)
    result.lead_ids = list(dict.fromkeys(lead_id for lead_id, _ in lead_tags))
    if list_id is not None:
        ListRepository(session, workspace_id).add_members(list_id, result.lead_ids)
    session.flush()
    return result


def _candidates(repo: LeadRepository, rows: Sequence[Parsed]) -> list[Lead]:
    """Every existing lead that shares an email or a phone with a row: one query per batch."""
    emails = {row.values["email"] for row in rows if row.values.get("email")}
    phones = {row.values["phone"] for row in rows if row.values.get("phone")}
    clauses = []
    if emails:
        clauses.append(Lead.email.in_(emails))
    if phones:
        clauses.append(Lead.phone.in_(phones))
    if not clauses:
        return []
    # Locked in id order, so batches of concurrent imports cannot deadlock on each other.
    statement = repo.select(Lead).where(or_(*clauses)).order_by(Lead.id).with_for_update()
    return list(repo.session.scalars(statement))


def _new_values(
    values: Mapping[str, Any], workspace_id: int, source: str, now: datetime
) -> dict[str, Any]:
    return {
        **_NEW_LEAD_DEFAULTS,
        "source": source,
        "custom_fields": {},
        **values,
        "workspace_id": workspace_id,
        "created_at": now,
        "updated_at": now,
    }


def _fill(
    target: Lead | dict[str, Any],
    values: Mapping[str, Any],
    index: _Index,
    owner: Lead | int,
    now: datetime,
) -> None:
    """Fill the lead's empty fields; its custom fields win over the row's (first touch wins).
    The lead's `updated_at` moves only when something changed."""
    get = target.get if isinstance(target, dict) else lambda name: getattr(target, name)
    changed = []

    def put(name: str, value: Any) -> None:
        if get(name) == value:
            return
        changed.append(name)
        if isinstance(target, dict):
            target[name] = value
        else:
            setattr(target, name, value)

    for name, value in values.items():
        if name not in _NOT_FILLED and get(name) in (None, ""):
            put(name, value)
    for name in ("email", "phone"):
        if not get(name) and index.claim(name, values.get(name), owner):
            put(name, values[name])
    incoming = values.get("custom_fields") or {}
    if incoming:
        put("custom_fields", {**incoming, **(get("custom_fields") or {})})
    if changed:
        put("updated_at", now)


def _insert(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the new leads in one statement; their ids in the rows' order."""
    if not rows:
        return []
    keys = set().union(*rows)
    uniform = [{key: row.get(key) for key in keys} for row in rows]
    reserved = reserve_lead_ids(session, len(uniform))
    if reserved is not None:
        # SQLite: the ids are given here (see leadhub.models.lead_ids), which also spares
        # tying RETURNING rows to parameters, which SQLite cannot do.
        ids = list(reserved)
        given = [{**row, "id": lead_id} for row, lead_id in zip(uniform, ids, strict=True)]
        session.execute(insert(_LEADS), given)
    else:
        statement = insert(_LEADS).returning(_LEADS.c.id, sort_by_parameter_order=True)
        ids = list(session.scalars(statement, uniform))
    if len(ids) != len(rows):  # pragma: no cover - the database answered one id per row
        raise RuntimeError("the bulk insert did not answer one id per lead")
    return ids


def _tag(session: Session, workspace_id: int, lead_tags: Sequence[tuple[int, list[str]]]) -> None:
    """Create the batch's tags (race-free) and put them on their leads, in two statements."""
    names = list({name.lower(): name for _, tags in lead_tags for name in tags}.values())
    if not names:
        return
    ids = {tag.name.lower(): tag.id for tag in TagRepository(session, workspace_id).ensure(names)}
    pairs = {(lead_id, ids[name.lower()]) for lead_id, tags in lead_tags for name in tags}
    LeadRepository(session, workspace_id).link_tags(sorted(pairs))
