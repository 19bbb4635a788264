"""Pure functions between LeadTrackr's wire shapes and LeadHub's domain (no database, no HTTP)."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

from leadhub.domains.conversions.schemas import StatusChange
from leadhub.domains.leads.schemas import (
    Attribution,
    Device,
    Direction,
    LeadFields,
    LeadFilters,
    LeadRead,
    LeadReference,
    OrderField,
)
from leadhub.kit.pagination import Page, PageRequest
from leadhub.surfaces.leadtrackr.schemas import (
    LeadTrackrContact,
    LeadTrackrCreateLead,
    LeadTrackrLead,
    LeadTrackrLeads,
    LeadTrackrStatusAnswer,
)

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MIN_SEARCH = 2
# LeadTrackr's sort fields and the lead fields they order by.
SORT_FIELDS: dict[str, OrderField] = {
    "createdAt": "created_at",
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "price": "value",
    "status": "status",
}
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
# `gclid[exists]=true` and friends.
EXISTS_KEYS = ("gclid", "cid", "fbp", "fbc")
# Attribution keys in LeadTrackr's attributionData, by LeadHub's name.
ATTRIBUTION_NAMES = {name: name for name in Attribution.model_fields} | {
    "landing_page": "landingPage"
}
FORM_NAME, EVENT_ID = "formName", "uniqueEventId"
MAX_EVENT_ID = 255
_TIME = re.compile(r"T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?", re.IGNORECASE)


class BadRequest(Exception):
    """A parameter LeadTrackr's API would refuse with 400 `{"message": …}`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def missing(field: str) -> BadRequest:
    return BadRequest(f"Missing required field: {field}")


# -- a lead in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capture:
    """What createLead hands to the intake: the lead's fields and the browser event's id."""

    data: LeadFields
    unique_event_id: str | None


def capture(body: LeadTrackrCreateLead, *, device: Mapping[str, str | None] | None) -> Capture:
    """The lead a createLead body describes; `device` fills in when it sends no deviceData."""
    if not (_filled(body.user_data) or _filled(body.attribution_data)):
        raise BadRequest("At least one of userData or attributionData must contain data")
    fields: dict[str, Any] = {}
    if body.user_data is not None:
        user = body.user_data.model_dump(exclude_unset=True)
        if "company_name" in user:
            user["company"] = user.pop("company_name")
        fields.update(user)
    if body.attribution_data is not None and _filled(body.attribution_data):
        fields["attribution"] = body.attribution_data.model_dump(exclude_unset=True)
    form = dict(body.form_data or {})
    form_name, event_id = _text(form.pop(FORM_NAME, None)), _text(form.pop(EVENT_ID, None))
    if event_id is not None and len(event_id) > MAX_EVENT_ID:
        raise BadRequest(f"formData.{EVENT_ID} must not be longer than {MAX_EVENT_ID} characters")
    if form_name is not None:
        fields["form_name"] = form_name
    if form:
        fields["form_data"] = form
    device_data = _device(body, device)
    if device_data:
        fields["device"] = device_data
    for name in ("channel_flow", "unique_identifier"):
        if (value := _text(getattr(body, name))) is not None:
            fields[name] = value
    return Capture(data=LeadFields.model_validate(fields), unique_event_id=event_id)


def _filled(part: Any) -> bool:
    if part is None:
        return False
    return any(_text(value) is not None for value in part.model_dump().values())


def _text(value: Any) -> str | None:
    """A trimmed string; numbers (an event id sent as a number) become text, blanks None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _device(body: LeadTrackrCreateLead, default: Mapping[str, str | None] | None) -> dict[str, str]:
    sent = body.device_data.model_dump(exclude_none=True) if body.device_data else {}
    if not any(_text(value) for value in sent.values()) and default:
        # The request's own client: an address that is no IP (a test client, a socket) is left out.
        sent = {name: value for name, value in default.items() if value}
        if not _is_ip(sent.get("ip_address")):
            sent.pop("ip_address", None)
    known = Device.model_fields
    return {name: value for name, value in sent.items() if name in known and _text(value)}


def _is_ip(value: str | None) -> bool:
    try:
        ipaddress.ip_address(value or "")
    except ValueError:
        return False
    return True


# -- a lead out --------------------------------------------------------------------------------


def timestamp(moment: datetime) -> str:
    """LeadTrackr's time format: UTC with milliseconds and Z (2026-03-15T10:30:00.000Z)."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def price_cents(value: float | None) -> int | None:
    """A value in currency units as LeadTrackr's price in cents."""
    return None if value is None else round(value * 100)


def lead(read: LeadRead) -> LeadTrackrLead:
    """A lead as LeadTrackr's lead object."""
    contact = LeadTrackrContact(
        first_name=read.first_name,
        last_name=read.last_name,
        email=read.email,
        phone=read.phone,
        company_name=read.company,
    )
    attribution = {
        ATTRIBUTION_NAMES[name]: value
        for name, value in read.attribution.model_dump().items()
        if value is not None and name in ATTRIBUTION_NAMES
    }
    return LeadTrackrLead(
        id=read.id,
        status=read.status,
        form_name=read.form_name,
        first_name=read.first_name,
        last_name=read.last_name,
        phone=read.phone,
        email=read.email,
        company_name=read.company,
        price=price_cents(read.value),
        note=read.notes,
        form_data=read.form_data or None,
        user_data=contact if any(contact.model_dump().values()) else None,
        attribution_data=attribution or None,
        channel_flow=read.channel_flow,
        unique_identifier=read.unique_identifier,
        created_at=timestamp(read.created_at),
    )


def leads_page(page: Page[LeadRead]) -> LeadTrackrLeads:
    """getLeads' answer: the page's leads and where the page stands."""
    limit = page.request.per_page
    total_pages = math.ceil(page.total / limit)
    return LeadTrackrLeads(
        leads=[lead(read) for read in page.items],
        total=page.total,
        page=page.request.page,
        limit=limit,
        total_pages=total_pages,
        has_more=page.request.page < total_pages,
    )


def status_answer(change: StatusChange) -> LeadTrackrStatusAnswer:
    """updateLeadStatus' answer: reopened, or queued with the destinations' warnings."""
    if not change.queued:
        return LeadTrackrStatusAnswer(
            message=f"Lead status updated to {change.status}",
            lead_id=change.lead_id,
            unique_identifier=change.unique_identifier,
            status=change.status,
            queued=False,
        )
    return LeadTrackrStatusAnswer(
        message="Lead queued for processing",
        lead_id=change.lead_id,
        unique_identifier=change.unique_identifier,
        status=change.status,
        queued=True,
        warnings=list(change.warnings),
    )


# -- getLeads' query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """getLeads' parameters as they arrive (text), before they are checked."""

    limit: int = DEFAULT_LIMIT
    page: int = 1
    status: str | None = None
    form_name: str | None = None
    unique_identifier: str | None = None
    email: str | None = None
    phone: str | None = None
    created_gte: str | None = None
    created_lte: str | None = None
    search: str | None = None
    sort: str | None = None
    exists: Mapping[str, bool | None] | None = None


def page_request(query: ListQuery) -> PageRequest:
    if not 1 <= query.limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}")
    if query.page < 1:
        raise BadRequest("page must be 1 or more")
    return PageRequest(page=query.page, per_page=query.limit)


def filters(query: ListQuery) -> LeadFilters:
    """The domain's filters for getLeads' parameters; BadRequest names the bad one."""
    sort, direction = parse_sort(query.sort)
    search = (query.search or "").strip()
    if query.search is not None and len(search) < MIN_SEARCH:
        raise BadRequest(f"search must be at least {MIN_SEARCH} characters")
    return LeadFilters(
        statuses=split(query.status),
        form_name=_text(query.form_name),
        unique_identifier=_text(query.unique_identifier),
        email=query_email(query.email),
        phone=query_phone(query.phone),
        created_from=_bound("createdAt[gte]", query.created_gte, upper=False),
        created_to=_bound("createdAt[lte]", query.created_lte, upper=True),
        search=search or None,
        has={name: value for name, value in (query.exists or {}).items() if value is not None},
        sort=sort,
        direction=direction,
    )


def split(value: str | None) -> list[str]:
    """`open,pending` as ["open", "pending"]."""
    return [part.strip().lower() for part in (value or "").split(",") if part.strip()]


def parse_sort(value: str | None) -> tuple[OrderField, Direction]:
    """`field:direction` (the direction defaults to desc); BadRequest for anything else."""
    text = (value or "").strip()
    if not text:
        return "created_at", "desc"
    name, _, direction = text.partition(":")
    field = SORT_FIELDS.get(name.strip())
    if field is None:
        allowed = ", ".join(SORT_FIELDS)
        raise BadRequest(f"Invalid sort field: {name.strip()}. Allowed fields: {allowed}")
    chosen = direction.strip().lower() or "desc"
    for known in DIRECTIONS:
        if chosen == known:
            return field, known
    raise BadRequest(f"Invalid sort direction: {direction.strip()}. Allowed directions: asc, desc")


def query_email(value: str | None) -> str | None:
    """An email from a query string: a `+` left unencoded arrives as a space."""
    text = (value or "").strip().replace(" ", "+")
    return text.lower() or None


def query_phone(value: str | None) -> str | None:
    """A phone from a query string: `?phone=+316…` unencoded arrives as ` 316…`."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if value[:1] == " " and text[:1].isdigit():
        return "+" + text
    return text


def _bound(name: str, value: str | None, *, upper: bool) -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        return parse_bound(value, upper=upper)
    except (ValueError, OverflowError):
        raise BadRequest(f"Invalid date for {name}: use ISO 8601, e.g. 2026-03-15") from None


def parse_bound(value: str, *, upper: bool) -> datetime:
    """An ISO 8601 date or date-time as an inclusive bound in UTC.

    An upper bound covers the whole unit it is stated in: `2026-03-15` is the whole day,
    `…T10:30:00.000Z` the whole millisecond (as createdAt is shown to the millisecond).
    """
    text = value.strip()
    if "T" not in text.upper():
        text = text.replace(" ", "T", 1)
    # An offset's `+` left unencoded in a query string arrives as a space.
    text = text.replace(" ", "+")
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if upper:
        moment += _precision(text) - timedelta(microseconds=1)
    return moment


def _precision(text: str) -> timedelta:
    """The unit the date-time is stated in: a day, an hour, a minute, a second or a fraction."""
    found = _TIME.search(text)
    if found is None:
        return timedelta(days=1)
    _hour, minute, second, fraction = found.groups()
    if minute is None:
        return timedelta(hours=1)
    if second is None:
        return timedelta(minutes=1)
    if fraction is None:
        return timedelta(seconds=1)
    return timedelta(microseconds=10 ** max(0, 6 - len(fraction)))


# -- naming a lead -----------------------------------------------------------------------------


def reference(
    *,
    lead_id: int | None,
    unique_identifier: str | None,
    email: str | None,
    phone: str | None,
) -> LeadReference:
    """The lead named by the first of leadId, uniqueIdentifier, email, phone that is given."""
    found = LeadReference(
        lead_id=lead_id,
        unique_identifier=_text(unique_identifier),
        email=query_email(email),
        phone=query_phone(phone),
    )
    if found == LeadReference():
        raise missing("leadId, uniqueIdentifier, email or phone")
    return found


def conversion(value: str | int | None) -> str:
    """updateLeadStatus' conversionId: `open`, `lost` or a label's id, as text."""
    text = _text(value)
    if text is None:
        raise missing("conversionId")
    return text


def cents(price: float | None) -> int | None:
    """A price in cents as a whole number of cents."""
    return None if price is None else round(price)
