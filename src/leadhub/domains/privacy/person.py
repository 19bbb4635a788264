"""Who a privacy request is about: the leads an email, a phone or a lead id names, and the
identifiers (emails, phones, profile URLs) that find the person's records that no longer point
at a lead.

The person's reference is a keyed hash (HMAC-SHA256 with the node's secret key) of those
identifiers: the audit log names the person with it, so an export and an erasure of one person
can be matched without the log holding their email or phone.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlalchemy.orm import Session

from leadhub.db.scoped import ScopedRepository
from leadhub.domains.privacy.needles import Needles
from leadhub.domains.privacy.schemas import PersonQuery
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import NotFound
from leadhub.kit.contact import InvalidEmail, normalize_email, normalize_phone
from leadhub.models import Lead, SocialProfile


@dataclass
class Person:
    workspace_id: int
    lead_ids: list[int]
    emails: set[str]
    phones: set[str]
    profile_urls: set[str]
    reference: str
    # Leads of this person deleted before (found through their deletion's snapshot).
    gone_lead_ids: set[int] = field(default_factory=set)

    @property
    def all_lead_ids(self) -> list[int]:
        return sorted({*self.lead_ids, *self.gone_lead_ids})

    @property
    def needles(self) -> Needles:
        """The emails and phones that, written in a free-text record, make it about them."""
        return Needles([*self.emails, *self.phones])


def resolve(
    session: Session, workspace_id: int, query: PersonQuery, *, key: str, lock: bool = False
) -> Person:
    """The person a query names (their leads locked when `lock`, for an erasure); NotFound for
    a lead id that is not the workspace's."""
    repo = ScopedRepository(session, workspace_id)
    emails = {_email(query.email)} if query.email else set()
    region = workspaces.default_region(session, workspace_id)
    phones = {normalize_phone(query.phone, region)} if query.phone else set()
    conditions = []
    if query.lead_id is not None:
        if repo.get(Lead, query.lead_id) is None:
            raise NotFound.of("Lead")
        conditions.append(Lead.id == query.lead_id)
    if emails:
        conditions.append(Lead.email.in_(emails))
    if phones:
        conditions.append(Lead.phone.in_(phones))
    statement = repo.select(Lead).where(or_(*conditions)).order_by(Lead.id)
    if lock:
        statement = statement.with_for_update()
    leads = list(session.scalars(statement))
    emails |= {lead.email for lead in leads if lead.email}
    phones |= {lead.phone for lead in leads if lead.phone}
    lead_ids = [lead.id for lead in leads]
    urls = set()
    if lead_ids:
        url_query = repo.select_columns(SocialProfile, SocialProfile.linkedin_profile_url)
        urls = set(session.scalars(url_query.where(SocialProfile.lead_id.in_(lead_ids))))
    return Person(
        workspace_id=workspace_id,
        lead_ids=lead_ids,
        emails=emails,
        phones=phones,
        profile_urls=urls,
        reference=reference(workspace_id, key, [*emails, *phones, *map(str, lead_ids)]),
    )


def reference(workspace_id: int, key: str, identifiers: list[str]) -> str:
    """A keyed hash of the identifiers: the same person gives the same reference."""
    message = "\n".join([str(workspace_id), *sorted(set(identifiers))]).encode()
    digest = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
    return f"prs_{digest[:32]}"


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except InvalidEmail:
        return raw.strip().lower()
