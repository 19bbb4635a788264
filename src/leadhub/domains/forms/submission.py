"""Turning submitted values into lead fields, by the form's typed fields and mapping."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from leadhub.domains.forms.schemas import CUSTOM_PREFIX, FormField, SubmissionMeta
from leadhub.domains.leads.schemas import LeadFields
from leadhub.errors import Invalid
from leadhub.kit.contact import InvalidEmail, normalize_email
from leadhub.models import Form
from leadhub.models.lead import ATTRIBUTION_FIELDS

_TRUE = frozenset({"1", "true", "on", "yes", "y", "checked"})
_MAX_TEXT = {"textarea": 10_000}
_DEFAULT_MAX_TEXT = 1_000
MAX_RAW_KEYS = 100


def check_values(fields: list[FormField], values: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted value of each field, checked against its type; Invalid with every problem."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field in fields:
        try:
            value = _check(field, values.get(field.name))
        except ValueError as exc:
            errors[field.name] = [str(exc)]
            continue
        if value is not None:
            clean[field.name] = value
    if errors:
        raise Invalid(errors)
    return clean


def _check(field: FormField, raw: Any) -> Any:
    label = field.label or field.name
    if field.type == "checkbox":
        checked = raw is True or (isinstance(raw, str | int) and str(raw).lower() in _TRUE)
        if field.required and not checked:
            raise ValueError(f"The {label} field must be accepted.")
        return checked
    if raw is None and field.type == "hidden":
        raw = field.default
    if isinstance(raw, bool | int | float):
        raw = str(raw).lower() if isinstance(raw, bool) else str(raw)
    if raw is not None and not isinstance(raw, str):
        raise ValueError(f"The {label} field must be text.")
    text = (raw or "").strip()
    if not text:
        if field.required:
            raise ValueError(f"The {label} field is required.")
        return None
    limit = _MAX_TEXT.get(field.type, _DEFAULT_MAX_TEXT)
    if len(text) > limit or "\x00" in text:
        raise ValueError(f"The {label} field must not be greater than {limit} characters.")
    if field.type == "email":
        try:
            return normalize_email(text)
        except InvalidEmail as exc:
            raise ValueError(f"The {label} field must be a valid email address.") from exc
    if field.type == "select" and text not in (field.options or []):
        raise ValueError(f"The selected {label} is invalid.")
    return text


def lead_fields(
    form: Form, fields: list[FormField], clean: dict[str, Any], meta: SubmissionMeta
) -> LeadFields:
    """The lead a submission stands for: mapped fields, custom fields, the form's defaults,
    and the submission itself (its data, browser and UTM journey)."""
    lead: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    merged_attribution = {k: v for k, v in meta.attribution.items() if k in ATTRIBUTION_FIELDS}
    for field in fields:
        if field.name not in clean:
            continue
        value, target = clean[field.name], field.maps_to or ""
        if target.startswith(CUSTOM_PREFIX):
            custom[target.removeprefix(CUSTOM_PREFIX)] = value
        elif target in ATTRIBUTION_FIELDS:
            merged_attribution[target] = str(value)
        elif target == "first_name" and field.name.lower() in ("name", "full_name"):
            first, _, last = str(value).partition(" ")
            lead["first_name"] = first
            if last.strip():
                lead.setdefault("last_name", last.strip())
        else:
            lead[target] = value if isinstance(value, str) else str(value)
    lead.update(
        custom_fields=custom,
        attribution=merged_attribution,
        form_id=form.id,
        form_name=form.name,
        form_data=clean or None,
        channel_flow=meta.channel_flow,
        device={"ip_address": _ip_or_none(meta.ip_address), "user_agent": meta.user_agent},
        tags=list(form.tags or []),
        source=form.source,
    )
    if form.pipeline_stage_id is not None:
        lead["pipeline_stage_id"] = form.pipeline_stage_id
    elif form.pipeline_id is not None:
        lead["pipeline_id"] = form.pipeline_id
    try:
        return LeadFields.model_validate(lead)
    except ValidationError as exc:
        messages = {
            ".".join(str(p) for p in error["loc"]): [error["msg"]] for error in exc.errors()
        }
        raise Invalid(messages) from exc


def _ip_or_none(address: str | None) -> str | None:
    """The client's address when it is one (test clients and some proxies name a host)."""
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def raw_copy(values: Mapping[str, Any]) -> dict[str, Any]:
    """The submission as it arrived, bounded in size."""
    copy: dict[str, Any] = {}
    for key, value in list(values.items())[:MAX_RAW_KEYS]:
        if isinstance(value, str):
            copy[str(key)[:100]] = value[:10_000]
        elif isinstance(value, bool | int | float) or value is None:
            copy[str(key)[:100]] = value
        else:
            copy[str(key)[:100]] = str(value)[:10_000]
    return copy
