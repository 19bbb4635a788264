"""A page's tag names: per lead, in name order, whether the page's ids are close or spread."""

from __future__ import annotations

from fastapi.testclient import TestClient

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


def test_a_tag_alone_pages_its_leads_in_date_order_either_way(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    made = [make_lead(db, workspace, tags=["vip" if n % 3 else "other"]) for n in range(10)]
    vip = [lead_id for n, lead_id in enumerate(made) if n % 3]

    def pages(direction: str) -> list[int]:
        found: list[int] = []
        for number in (1, 2, 3, 4):
            params = {"tag": "VIP", "per_page": 2, "page": number, "direction": direction}
            answer = client.get("/api/v1/leads", params=params, headers=headers).json()
            assert answer["meta"]["total"] == len(vip)
            assert all(lead["tags"] == ["vip"] for lead in answer["data"])
            found += [lead["id"] for lead in answer["data"]]
        return found

    assert pages("desc") == list(reversed(vip))
    assert pages("asc") == vip
    # With another filter beside the tag, the same leads come by the general plan.
    both = {"tag": "vip", "source": "api", "per_page": 100}
    answer = client.get("/api/v1/leads", params=both, headers=headers).json()
    assert [lead["id"] for lead in answer["data"]] == list(reversed(vip))
