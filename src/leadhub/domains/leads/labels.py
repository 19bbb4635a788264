"""The sources and statuses a workspace's leads use, to offer them in filters and forms."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.leads.repository import LeadRepository
from leadhub.models import Lead

# The statuses every workspace starts with, offered before any lead uses them.
COMMON_STATUSES = ("new", "contacted", "qualified", "unqualified", "won", "lost")
MAX_LABELS = 200


@dataclass(frozen=True)
class LeadLabels:
    sources: list[str]
    statuses: list[str]


def labels_in_use(session: Session, principal: Principal) -> LeadLabels:
    """The distinct sources and statuses of the workspace's leads, with the common statuses."""
    repo = LeadRepository(session, principal.workspace_id)
    statuses = set(COMMON_STATUSES) | set(repo.labels_in_use(Lead.status, MAX_LABELS))
    return LeadLabels(
        sources=repo.labels_in_use(Lead.source, MAX_LABELS), statuses=sorted(statuses)
    )
