"""A deleted lead's id is never given to another lead, whichever way the lead arrives (created,
taken in, imported), so no new lead inherits a deleted one's history."""

from __future__ import annotations

from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.domains.events import service as events
from leadhub.domains.leads import service as leads_service
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead, LeadEvent
from leadhub.storage.local import LocalStore
from tests.factories import Workspace, make_lead
from tests.imports.helpers import by_email, csv_bytes, import_file


def delete(db: Database, workspace: Workspace, lead_id: int) -> None:
    with db.unit_of_work() as session:
        leads_service.delete(session, workspace.principal(), lead_id)


def history(db: Database, workspace: Workspace, lead_id: int) -> list[str]:
    with db.unit_of_work(write=False) as session:
        page = events.timeline(session, workspace.principal(), lead_id, page=PageRequest(1, 50))
        return [event.type for event in page.items]


def test_the_newest_leads_id_once_deleted_is_not_given_again(
    db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Kept")
    gone = make_lead(db, workspace, first_name="Gone", email="gone@example.com")
    delete(db, workspace, gone)
    assert history(db, workspace, gone) == ["lead_deleted", "lead_created"]

    new = make_lead(db, workspace, first_name="New")
    assert new > gone
    assert history(db, workspace, new) == ["lead_created"]
    # Two at once in one transaction get two ids, both new.
    with db.unit_of_work() as session:
        pair = [Lead(workspace_id=workspace.id, custom_fields={}) for _ in range(2)]
        session.add_all(pair)
        session.flush()
        ids = [lead.id for lead in pair]
    assert len(set(ids)) == 2 and min(ids) > new


def test_an_import_after_a_deletion_gives_its_leads_new_ids(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    gone = make_lead(db, workspace, first_name="Gone")
    delete(db, workspace, gone)
    done = import_file(db, workspace, store, csv_bytes("email\na@example.com\nb@example.com\n"))
    assert done.created_count == 2
    imported = sorted(lead.id for lead in by_email(db, workspace).values())
    assert len(imported) == 2 and imported[0] > gone
    with db.unit_of_work(write=False) as session:
        orphaned = select(func.count()).where(LeadEvent.lead_id.in_(imported))
        assert session.scalar(orphaned.where(LeadEvent.type == "lead_deleted")) == 0
