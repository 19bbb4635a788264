"""Bulk lead actions, a lead's submissions and the names behind its events: always one workspace."""

from __future__ import annotations

import pytest

from leadhub.db.uow import Database
from leadhub.domains.events import service as events
from leadhub.domains.events.actors import actor_names
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.lead_submissions import list_for_lead
from leadhub.domains.forms.schemas import FormCreate, SubmissionMeta
from leadhub.domains.leads import bulk
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.labels import labels_in_use
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead
from tests.factories import Workspace, make_lead, make_user, make_workspace


def test_bulk_actions_skip_ids_of_other_workspaces(db: Database, workspace: Workspace) -> None:
    other = make_workspace(db, "globex")
    mine = make_lead(db, workspace, first_name="Ann")
    theirs = make_lead(db, other, first_name="Bob")
    with db.unit_of_work() as session:
        principal = workspace.principal()
        assert bulk.add_tag(session, principal, [mine, theirs, mine], "hot") == 1
        assert bulk.set_status(session, principal, [theirs], "won") == 0
        assert bulk.delete(session, principal, [theirs]) == 0
    with db.unit_of_work(write=False) as session:
        assert leads.get(session, other.principal(), theirs).tags == []
        assert leads.get(session, workspace.principal(), mine).tags == ["hot"]


def test_bulk_changes_record_an_event_per_lead(db: Database, workspace: Workspace) -> None:
    ids = [make_lead(db, workspace, first_name=name) for name in ("Ann", "Bob")]
    user_id = make_user(db, workspace, "rep@example.com")
    with db.unit_of_work() as session:
        bulk.assign(session, workspace.principal(), ids, user_id)
    with db.unit_of_work(write=False) as session:
        for lead_id in ids:
            page = events.timeline(session, workspace.principal(), lead_id, page=PageRequest())
            assert "lead_assigned" in [event.type for event in page.items]


def test_bulk_refuses_an_unknown_user_before_touching_a_lead(
    db: Database, workspace: Workspace
) -> None:
    other_user = make_user(db, make_workspace(db, "globex"), "x@example.com")
    lead_id = make_lead(db, workspace, first_name="Ann")
    with pytest.raises(Invalid) as raised, db.unit_of_work() as session:
        bulk.assign(session, workspace.principal(), [lead_id], other_user)
    assert raised.value.fields == {"assigned_user_id": ["The selected user is invalid."]}
    with db.unit_of_work(write=False) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.assigned_user_id is None


def test_labels_in_use_include_the_common_statuses(db: Database, workspace: Workspace) -> None:
    make_lead(db, workspace, source="facebook", status="nurturing")
    with db.unit_of_work(write=False) as session:
        labels = labels_in_use(session, workspace.principal())
    assert labels.sources == ["facebook"]
    assert "nurturing" in labels.statuses and "new" in labels.statuses


def test_a_leads_submissions_and_event_actors(db: Database, workspace: Workspace) -> None:
    with db.unit_of_work() as session:
        form = forms.create_form(
            session,
            workspace.principal(),
            data=FormCreate(name="Demo", fields=[{"name": "email", "type": "email"}]),
        )
        sent = forms.record_public(
            session, form.id, values={"email": "ann@example.com"}, meta=SubmissionMeta()
        )
    assert sent.lead_id is not None
    with db.unit_of_work(write=False) as session:
        page = list_for_lead(session, workspace.principal(), sent.lead_id, page=PageRequest())
        assert [(item.form_name, item.lead_id) for item in page.items] == [("Demo", sent.lead_id)]
        elsewhere = make_workspace(db, "globex").principal()
        assert list_for_lead(session, elsewhere, sent.lead_id, page=PageRequest()).total == 0
        timeline = events.timeline(session, workspace.principal(), sent.lead_id, page=PageRequest())
        assert actor_names(session, workspace.principal(), timeline.items) == {}
