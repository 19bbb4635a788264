"""Reading the account's records in tests."""

from __future__ import annotations

from leadhub.db.uow import Database
from leadhub.domains.audit import service as audit
from leadhub.domains.audit.service import AuditRead
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace


def activity(db: Database, workspace: Workspace, action: str | None = None) -> list[AuditRead]:
    """The workspace's audit entries, newest first (up to 100)."""
    with db.unit_of_work(write=False) as session:
        found = audit.list_entries(
            session, workspace.principal(), page=PageRequest(1, 100), action=action
        )
    return found.items


def actions(db: Database, workspace: Workspace) -> list[str]:
    return [entry.action for entry in activity(db, workspace)]


def only(db: Database, workspace: Workspace, action: str) -> AuditRead:
    found = activity(db, workspace, action)
    assert len(found) == 1, [entry.action for entry in found]
    return found[0]
