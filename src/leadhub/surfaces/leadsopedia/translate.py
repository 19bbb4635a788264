"""Pure functions between Leadsopedia's wire shapes and LeadHub's."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from leadhub.domains.account.schemas import AccountRead, SearchRead, UsageRead
from leadhub.domains.audit.service import AuditRead
from leadhub.domains.exports.schemas import ExportInfo
from leadhub.domains.leads.schemas import LeadFields
from leadhub.domains.lists.contacts import Contact
from leadhub.domains.lists.schemas import ListRead
from leadhub.kit.pagination import Page
from leadhub.surfaces.leadsopedia.schemas import (
    LeadsopediaAccount,
    LeadsopediaActivity,
    LeadsopediaContact,
    LeadsopediaContactBody,
    LeadsopediaDownload,
    LeadsopediaKeyUsage,
    LeadsopediaList,
    LeadsopediaMonthUsage,
    LeadsopediaSearch,
    LeadsopediaUsage,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def list_out(item: ListRead) -> LeadsopediaList:
    return LeadsopediaList(
        id=str(item.id),
        name=item.name,
        total_contacts=item.total_contacts,
        date_created=timestamp(item.created_at),
    )


def contact_out(contact: Contact) -> LeadsopediaContact:
    lead = contact.lead
    return LeadsopediaContact(
        id=lead.id,
        email=lead.email,
        first_name=lead.first_name,
        last_name=lead.last_name,
        title=lead.job_title,
        company=lead.company,
        phone=lead.phone,
        city=lead.city,
        state=lead.state,
        region=lead.region,
        country=lead.country,
        date_added=timestamp(contact.date_added),
    )


def contact_in(body: LeadsopediaContactBody) -> LeadFields:
    """The lead fields a contact body sets (only those sent)."""
    names = {"title": "job_title"}
    values: dict[str, Any] = {}
    for name in body.model_fields_set - {"list_id"}:
        value = getattr(body, name)
        values[names.get(name, name)] = (
            str(value) if name == "country" and value is not None else value
        )
    return LeadFields.model_validate(values)


def paging(page: Page[Any], url: str, query: list[tuple[str, str]]) -> dict[str, Any]:
    """`total`, `count`, `page`, `limit`, `pagesCount`, `next` and `previous` (absolute links)."""
    number, limit = page.request.page, page.request.per_page
    pages = max(1, math.ceil(page.total / limit))

    def link(target: int) -> str:
        kept = [(key, value) for key, value in query if key not in ("page", "limit")]
        return f"{url}?{urlencode([*kept, ('page', str(target)), ('limit', str(limit))])}"

    return {
        "total": page.total,
        "count": page.total,
        "page": number,
        "limit": limit,
        "pagesCount": pages,
        "next": link(number + 1) if number < pages else None,
        "previous": link(number - 1) if number > 1 else None,
    }


def download_out(info: ExportInfo, url: str | None) -> LeadsopediaDownload:
    return LeadsopediaDownload(
        id=info.id,
        filename=info.filename,
        extension=info.extension,
        url=url,
        date_created=timestamp(info.created_at),
        status=info.status,
    )


def account_out(account: AccountRead) -> LeadsopediaAccount:
    return LeadsopediaAccount(
        id=account.id,
        name=account.name,
        address=account.address,
        phone=account.phone,
        email=account.email,
        company=account.company,
        status=account.status,
        date_created=timestamp(account.date_created),
    )


def usage_out(usage: UsageRead) -> LeadsopediaUsage:
    return LeadsopediaUsage(
        month=usage.month,
        quota=usage.quota,
        calls=usage.calls,
        remaining=usage.remaining,
        resets_at=timestamp(usage.resets_at),
        keys=[LeadsopediaKeyUsage(id=key.id, name=key.name, calls=key.calls) for key in usage.keys],
        months=[LeadsopediaMonthUsage(month=item.month, calls=item.calls) for item in usage.months],
    )


def activity_out(entry: AuditRead) -> LeadsopediaActivity:
    return LeadsopediaActivity(
        id=entry.id,
        action=entry.action,
        actor_type=entry.actor.type,
        actor_id=entry.actor.id,
        actor_name=entry.actor.name,
        target_type=entry.target.type if entry.target else None,
        target_id=entry.target.id if entry.target else None,
        details=entry.details,
        date_created=timestamp(entry.date_created),
    )


def search_out(search: SearchRead) -> LeadsopediaSearch:
    return LeadsopediaSearch(
        id=str(search.id),
        type=search.type,
        query=search.query,
        lead_count=search.lead_count,
        date_added=timestamp(search.date_added),
    )
