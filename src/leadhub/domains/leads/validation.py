"""Turning submitted lead fields into column values, with every rule and readable messages."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.domains.leads.schemas import LeadFields
from leadhub.errors import Invalid
from leadhub.kit.contact import InvalidEmail, normalize_email, normalize_phone
from leadhub.models import Form, Lead, Pipeline, PipelineStage, User
from leadhub.models.lead import ATTRIBUTION_FIELDS

_TRIMMED = (
    "last_name",
    "company",
    "job_title",
    "city",
    "state",
    "region",
    "country",
    "notes",
    "unique_identifier",
    "form_name",
    "channel_flow",
)
_LABEL_PATTERN = re.compile(r"^[a-z0-9][a-z0-9 _.:/-]*$")
MAX_CUSTOM_FIELDS_BYTES = 16_384
# Deeper values could not be serialised back (the lead would be stored, then unreadable).
MAX_CUSTOM_FIELDS_DEPTH = 32
MAX_TAG_LENGTH = 50


class Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def label(field: str) -> str:
    return field.replace("_", " ")


def blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    return text or None


def clean(
    session: Session,
    repo: ScopedRepository,
    data: LeadFields,
    *,
    region: str,
    current: Lead | None,
    check_unique: bool = True,
) -> tuple[dict[str, Any], list[str] | None, Errors]:
    """Column values for the fields the request set, the tag names (if set), and any errors.

    `check_unique=False` is for intake, where a taken email or phone is the duplicate to merge.
    """
    values, tags, errors = clean_values(data, region=region)
    if check_unique:
        for name in ("email", "phone"):
            if values.get(name) and _taken(repo, name, values[name], current):
                errors.add(name, f"The {name} has already been taken.")
    _clean_references(session, repo, data, data.model_fields_set, current, values, errors)
    return values, tags, errors


def clean_values(
    data: LeadFields, *, region: str
) -> tuple[dict[str, Any], list[str] | None, Errors]:
    """`clean` without the database: every rule but uniqueness, and without the references to
    other records (user, form, pipeline), which `clean` adds. Pure, so imports run it on every
    core."""
    given = data.model_fields_set
    values: dict[str, Any] = {}
    errors = Errors()
    if "first_name" in given:
        values["first_name"] = blank_to_none(data.first_name)
        if values["first_name"] is None:
            errors.add("first_name", "The first name field is required.")
    for name in _TRIMMED:
        if name in given:
            values[name] = blank_to_none(getattr(data, name))
    for name in ("source", "status"):
        if name in given:
            _clean_label(name, getattr(data, name), values, errors)
    for name in ("lead_score", "starred"):
        if name in given and getattr(data, name) is not None:
            values[name] = getattr(data, name)
    if "value" in given:
        values["value"] = data.value
    if "email" in given:
        _clean_email(data.email, values, errors)
    if "phone" in given:
        text = blank_to_none(data.phone)
        values["phone"] = normalize_phone(text, region) if text else None
    if "custom_fields" in given:
        _clean_custom_fields(data.custom_fields, values, errors)
    if "form_data" in given:
        _clean_form_data(data.form_data, values, errors)
    if "device" in given and data.device is not None:
        _clean_device(data, values, errors)
    if "attribution" in given and data.attribution is not None:
        for name in data.attribution.model_fields_set & set(ATTRIBUTION_FIELDS):
            values[name] = blank_to_none(getattr(data.attribution, name))
    tags = _clean_tags(data.tags, errors) if "tags" in given else None
    return values, tags, errors


def normalize_label(raw: str) -> str:
    """A source or status as leads store it: lower-cased; letters, digits, spaces and -_.:/"""
    text = raw.strip().lower()
    if not _LABEL_PATTERN.match(text):
        raise ValueError("may contain only letters, digits, spaces and - _ . : /")
    return text


def _clean_label(name: str, raw: str | None, values: dict[str, Any], errors: Errors) -> None:
    if blank_to_none(raw) is None:
        return  # null keeps the default or the current value
    try:
        values[name] = normalize_label(raw or "")
    except ValueError as exc:
        errors.add(name, f"The {name} field {exc}.")


def _clean_email(raw: str | None, values: dict[str, Any], errors: Errors) -> None:
    text = blank_to_none(raw)
    if text is None:
        values["email"] = None
        return
    try:
        values["email"] = normalize_email(text)
    except InvalidEmail:
        errors.add("email", "The email field must be a valid email address.")


def _taken_by(column: Any) -> Select[int]:
    return (
        select(Lead.id)
        .where(
            Lead.workspace_id == bindparam("workspace_id"),
            column == bindparam("value"),
            Lead.id != bindparam("lead_id"),
        )
        .limit(1)
    )


# Every lead write checks these: built once.
_TAKEN = {"email": _taken_by(Lead.email), "phone": _taken_by(Lead.phone)}


def _taken(repo: ScopedRepository, name: str, value: str, current: Lead | None) -> bool:
    """Whether another lead of the workspace has this email or phone (ids start at 1)."""
    values = {
        "workspace_id": repo.workspace_id,
        "value": value,
        "lead_id": current.id if current else 0,
    }
    return repo.session.connection().execute(_TAKEN[name], values).first() is not None


def _clean_custom_fields(
    raw: dict[str, Any] | None, values: dict[str, Any], errors: Errors
) -> None:
    fields = raw or {}
    bad_keys = [key for key in fields if not key.strip() or len(key) > 64]
    if bad_keys:
        errors.add("custom_fields", "Each custom field name must be 1 to 64 characters.")
    elif (problem := _custom_fields_error(fields)) is not None:
        errors.add("custom_fields", problem)
    values["custom_fields"] = fields


def _clean_form_data(raw: dict[str, Any] | None, values: dict[str, Any], errors: Errors) -> None:
    if raw is not None and (problem := _custom_fields_error(raw)) is not None:
        errors.add("form_data", problem.replace("custom fields", "form data"))
    values["form_data"] = raw or None


def _clean_device(data: LeadFields, values: dict[str, Any], errors: Errors) -> None:
    device = data.device
    if device is None:
        return
    given = device.model_fields_set
    if "user_agent" in given:
        values["user_agent"] = blank_to_none(device.user_agent)
    if "ip_address" in given:
        text = blank_to_none(device.ip_address)
        try:
            values["ip_address"] = str(ipaddress.ip_address(text)) if text else None
        except ValueError:
            errors.add("device.ip_address", "The IP address must be a valid IPv4 or IPv6 address.")


def _walk(value: Any) -> Iterator[tuple[Any, int]]:
    """Every key and value inside a JSON value, with its depth (a loop: no deep recursion)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        yield item, depth
        if isinstance(item, dict):
            pending.extend((key, depth + 1) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def _custom_fields_error(fields: dict[str, Any]) -> str | None:
    for item, depth in _walk(fields):
        if depth > MAX_CUSTOM_FIELDS_DEPTH:
            return (
                "The custom fields must not be nested more than "
                f"{MAX_CUSTOM_FIELDS_DEPTH} levels deep."
            )
        if isinstance(item, str) and "\x00" in item:
            return "The custom fields must not contain NUL characters."
    if len(json.dumps(fields)) > MAX_CUSTOM_FIELDS_BYTES:
        return "The custom fields must not be larger than 16 KB."
    return None


def _clean_tags(raw: Iterable[str] | None, errors: Errors) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for item in raw or []:
        name = item.strip()
        if not name or len(name) > MAX_TAG_LENGTH:
            errors.add("tags", f"Each tag must be 1 to {MAX_TAG_LENGTH} characters.")
            continue
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def clean_tag(raw: str) -> str:
    errors = Errors()
    names = _clean_tags([raw], errors)
    if errors:
        raise Invalid({"tag": errors["tags"]})
    return names[0]


def _clean_references(
    session: Session,
    repo: ScopedRepository,
    data: LeadFields,
    given: set[str],
    current: Lead | None,
    values: dict[str, Any],
    errors: Errors,
) -> None:
    """Ids must name records of this workspace; a stage must belong to the lead's pipeline."""
    if "assigned_user_id" in given:
        values["assigned_user_id"] = data.assigned_user_id
        if data.assigned_user_id is not None and repo.get(User, data.assigned_user_id) is None:
            errors.add("assigned_user_id", "The selected assigned user id is invalid.")
    if "form_id" in given:
        values["form_id"] = data.form_id
        if data.form_id is not None and repo.get(Form, data.form_id) is None:
            errors.add("form_id", "The selected form id is invalid.")
    if "pipeline_id" in given or "pipeline_stage_id" in given:
        _clean_pipeline(repo, data, given, current, values, errors)


def _clean_pipeline(
    repo: ScopedRepository,
    data: LeadFields,
    given: set[str],
    current: Lead | None,
    values: dict[str, Any],
    errors: Errors,
) -> None:
    """A stage implies its pipeline; a pipeline alone puts the lead in its first stage."""
    pipeline_id = data.pipeline_id if "pipeline_id" in given else None
    stage_id = data.pipeline_stage_id if "pipeline_stage_id" in given else None
    if pipeline_id is not None and repo.get(Pipeline, pipeline_id) is None:
        errors.add("pipeline_id", "The selected pipeline id is invalid.")
        return
    if stage_id is not None:
        stage = repo.get(PipelineStage, stage_id)
        if stage is None:
            errors.add("pipeline_stage_id", "The selected pipeline stage id is invalid.")
        elif pipeline_id is not None and stage.pipeline_id != pipeline_id:
            errors.add(
                "pipeline_stage_id", "The pipeline stage must belong to the selected pipeline."
            )
        else:
            values["pipeline_id"], values["pipeline_stage_id"] = stage.pipeline_id, stage.id
        return
    if pipeline_id is not None:
        keeps_stage = (
            "pipeline_stage_id" not in given
            and current is not None
            and current.pipeline_id == pipeline_id
            and current.pipeline_stage_id is not None
        )
        values["pipeline_id"] = pipeline_id
        values["pipeline_stage_id"] = (
            current.pipeline_stage_id
            if keeps_stage and current
            else _first_stage_id(repo, pipeline_id)
        )
        return
    if "pipeline_id" in given:
        values["pipeline_id"] = None
    values["pipeline_stage_id"] = None


def _first_stage_id(repo: ScopedRepository, pipeline_id: int) -> int | None:
    statement = (
        repo.select_columns(PipelineStage, PipelineStage.id)
        .where(PipelineStage.pipeline_id == pipeline_id)
        .order_by(PipelineStage.position, PipelineStage.id)
        .limit(1)
    )
    stage_id: int | None = repo.session.scalar(statement)
    return stage_id
