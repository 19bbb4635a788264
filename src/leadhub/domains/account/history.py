"""Search history (Leadsopedia's account "history"): the searches people and keys ran, with
their type and how many leads they found.

The leads list service notes every search as it answers it: a filter on an email is an `email`
search, on a company a `company` search, a free-text term a `contacts` search. Turning the pages
of one search is not a new one, so only its first page is noted.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db import deferred
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.account.schemas import SearchRead
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import Page, PageRequest
from leadhub.models import SearchRecord

QUERY_MAX = 500
SEARCH_HISTORY: Table = SearchRecord.__table__  # type: ignore[assignment]


def search_of(filters: LeadFilters) -> tuple[str, str] | None:
    """The (type, query) of a search these filters make, or None when they make none."""
    email = (filters.email or "").strip()
    if email:
        return "email", email
    company = str(getattr(filters, "company", None) or "").strip()
    if company:
        return "company", company
    term = (filters.search or "").strip()
    if term:
        return "contacts", term
    return None


def note_search(
    session: Session,
    principal: Principal,
    *,
    filters: LeadFilters,
    page: PageRequest,
    lead_count: int,
) -> None:
    """Note the search these filters make, on its first page only.

    Written after the answer's transaction commits, with other searches (db/deferred.py): a
    search is a read, and one that wrote on SQLite would wait for the one writer, or lose its
    note when another writer got in first.
    """
    found = search_of(filters)
    if found is None or page.page != 1:
        return
    kind, query = found
    deferred.later(
        session,
        SEARCH_HISTORY,
        {
            "workspace_id": principal.workspace_id,
            "type": kind,
            "query": query[:QUERY_MAX],
            "lead_count": lead_count,
            "user_id": principal.user_id,
            "api_key_id": principal.api_key_id,
            "created_at": utcnow(),
        },
    )


def list_history(session: Session, principal: Principal, *, page: PageRequest) -> Page[SearchRead]:
    """The searches run in the workspace, newest first (this node's latest included)."""
    deferred.write_pending(session)
    repo = ScopedRepository(session, principal.workspace_id)
    statement = repo.select(SearchRecord).order_by(
        SearchRecord.created_at.desc(), SearchRecord.id.desc()
    )
    records, total = repo.page_of(statement, page)
    return Page(items=[_read(record) for record in records], total=total, request=page)


def _read(record: SearchRecord) -> SearchRead:
    return SearchRead(
        id=record.id,
        type=record.type,
        query=record.query,
        lead_count=record.lead_count,
        user_id=record.user_id,
        api_key_id=record.api_key_id,
        date_added=record.created_at,
    )
