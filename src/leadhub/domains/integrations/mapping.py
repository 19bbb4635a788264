"""Leads from ad platforms mapped onto LeadHub's fields: Facebook's field_data, Google's
user_column_data. What has no field of its own goes into custom fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from leadhub.domains.leads.schemas import Attribution, LeadFields

_MAX_CUSTOM = 50
_MAX_VALUE = 1000

# Facebook's standard question names, and Google's column ids, onto lead fields.
FACEBOOK_FIELDS = {
    "full_name": "full_name",
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "work_email": "email",
    "phone_number": "phone",
    "work_phone_number": "phone",
    "company_name": "company",
    "job_title": "job_title",
    "city": "city",
    "state": "state",
    "province": "state",
    "country": "country",
}
GOOGLE_COLUMNS = {
    "FULL_NAME": "full_name",
    "FIRST_NAME": "first_name",
    "LAST_NAME": "last_name",
    "EMAIL": "email",
    "WORK_EMAIL": "email",
    "PHONE_NUMBER": "phone",
    "WORK_PHONE": "phone",
    "COMPANY_NAME": "company",
    "JOB_TITLE": "job_title",
    "CITY": "city",
    "REGION": "state",
    "COUNTRY": "country",
}


def facebook_lead(lead: Mapping[str, Any], *, page_id: str | None = None) -> LeadFields:
    """A Graph API lead ({"id", "created_time", "field_data", "ad_id", "form_id", …})."""
    answers: list[tuple[str, str]] = []
    for item in _dicts(lead.get("field_data")):
        name, given = item.get("name"), item.get("values")
        if isinstance(name, str) and isinstance(given, list):
            texts = [str(value) for value in given if value is not None and str(value).strip()]
            if texts:
                answers.append((name, ", ".join(texts)))
    fields, custom = _assign(answers, FACEBOOK_FIELDS)
    for key in ("id", "form_id", "ad_id", "adset_id", "campaign_id", "created_time"):
        if lead.get(key) not in (None, ""):
            custom[f"facebook_{'lead_id' if key == 'id' else key}"] = str(lead[key])
    if page_id:
        custom["facebook_page_id"] = page_id
    attribution = Attribution(
        utm_source="facebook",
        utm_medium="lead_ads",
        utm_campaign=_id(lead.get("campaign_id")),
        utm_content=_id(lead.get("ad_id")),
        utm_term=_id(lead.get("form_id")),
    )
    return _lead(fields, custom, attribution, source="facebook")


def google_lead(body: Mapping[str, Any]) -> LeadFields:
    """A Google Ads lead form webhook body ({"lead_id", "user_column_data", "gcl_id", …})."""
    answers: list[tuple[str, str]] = []
    for column in _dicts(body.get("user_column_data")):
        column_id, value = column.get("column_id"), column.get("string_value")
        if isinstance(column_id, str) and isinstance(value, str) and value.strip():
            answers.append((column_id.upper(), value.strip()))
    fields, custom = _assign(answers, GOOGLE_COLUMNS, lower_custom=True)
    for key in ("lead_id", "form_id", "campaign_id", "adgroup_id", "creative_id"):
        if body.get(key) not in (None, ""):
            custom[f"google_{key}"] = str(body[key])
    if body.get("is_test") is True:
        custom["google_is_test"] = True
    attribution = Attribution(
        gclid=_id(body.get("gcl_id")),
        utm_source="google",
        utm_medium="lead_form",
        utm_campaign=_id(body.get("campaign_id")),
        utm_content=_id(body.get("creative_id")),
        utm_term=_id(body.get("form_id")),
    )
    return _lead(fields, custom, attribution, source="google_ads")


def _assign(
    answers: Iterable[tuple[str, str]], known: Mapping[str, str], *, lower_custom: bool = False
) -> tuple[dict[str, str], dict[str, Any]]:
    fields: dict[str, str] = {}
    custom: dict[str, Any] = {}
    for name, value in answers:
        target = known.get(name)
        if target is not None:
            fields.setdefault(target, value)
        elif len(custom) < _MAX_CUSTOM:
            key = (name.lower() if lower_custom else name)[:64]
            custom[key] = value[:_MAX_VALUE]
    full = fields.pop("full_name", None)
    if full and "first_name" not in fields and "last_name" not in fields:
        first, _, last = full.strip().partition(" ")
        fields["first_name"] = first
        if last.strip():
            fields["last_name"] = last.strip()
    return fields, custom


def _lead(
    fields: dict[str, str], custom: dict[str, Any], attribution: Attribution, *, source: str
) -> LeadFields:
    limits = {"first_name": 100, "last_name": 100, "email": 254, "phone": 40}
    trimmed = {name: value[: limits.get(name, 200)] for name, value in fields.items()}
    lead = LeadFields(**trimmed, source=source, attribution=attribution)
    if custom:
        lead.custom_fields = custom  # assignment marks the field as set
    return lead


def _dicts(raw: Any) -> list[dict[str, Any]]:
    return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []


def _id(raw: Any) -> str | None:
    return str(raw)[:255] if raw not in (None, "") and not isinstance(raw, bool) else None
