"""A page's tag names: per lead, in name order, whether the page's ids are close or spread."""

from __future__ import annotations

from leadhub.db.uow import Database
from leadhub.domains.leads.repository import LeadRepository
from tests.factories import Workspace, make_lead, make_workspace


def test_tag_names_per_lead_in_name_order_for_close_and_spread_ids(
    db: Database, workspace: Workspace
) -> None:
    tagged = make_lead(db, workspace, tags=["west", "vip", "hot"])
    untagged = make_lead(db, workspace)
    spread = [make_lead(db, workspace) for _ in range(6)][-1]
    far = make_lead(db, workspace, tags=["cold"])
    with db.unit_of_work(write=False) as session:
        repo = LeadRepository(session, workspace.id)
        close = repo.tag_names([tagged, untagged])  # a range of the key
        apart = repo.tag_names([tagged, far])  # ids far apart: one lookup each
        alone = repo.tag_names([spread])
    assert dict(close) == {tagged: ["hot", "vip", "west"]}
    assert dict(apart) == {tagged: ["hot", "vip", "west"], far: ["cold"]}
    assert dict(alone) == {}


def test_tag_names_are_those_of_the_repository_workspace(
    db: Database, workspace: Workspace
) -> None:
    other = make_workspace(db, "globex")
    theirs = make_lead(db, other, tags=["secret"])
    mine = make_lead(db, workspace, tags=["mine"])
    with db.unit_of_work(write=False) as session:
        assert dict(LeadRepository(session, workspace.id).tag_names([mine, theirs])) == {
            mine: ["mine"]
        }
