"""A racing insert of the same person loses at the unique index and merges into the winner."""

from __future__ import annotations

import pytest

from leadhub.db.uow import Database
from leadhub.domains.activity import service as activity
from leadhub.domains.activity.repository import ActivityRepository
from leadhub.domains.activity.schemas import ActivityCreate
from leadhub.models import Lead, SocialProfile
from tests.activity.helpers import event
from tests.factories import Workspace


def test_an_insert_that_loses_the_race_merges_into_the_existing_profile(
    db: Database, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = ActivityCreate.model_validate(event())
    with db.unit_of_work() as session:
        activity.record(session, workspace.principal(), data=data, page_url=lambda s: s)
    real = ActivityRepository.profile_for_update
    calls: list[str] = []

    def unseen_once(self: ActivityRepository, url: str) -> SocialProfile | None:
        # The first lookup misses the row, as a concurrent transaction's would.
        calls.append(url)
        return None if len(calls) == 1 else real(self, url)

    monkeypatch.setattr(ActivityRepository, "profile_for_update", unseen_once)
    with db.unit_of_work() as session:
        second = activity.record(session, workspace.principal(), data=data, page_url=lambda s: s)
    assert len(calls) == 2
    assert second.lead.total_interactions == 2
    with db.unit_of_work(write=False) as session:
        assert session.query(SocialProfile).count() == 1
        assert session.query(Lead).count() == 1
