"""Lead filters of one shape share their statements and bind each request's own values."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.domains.leads import filtering
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead
from tests.factories import Workspace, make_lead, make_workspace


def _listed(db: Database, workspace: Workspace, filters: LeadFilters) -> tuple[list[int], int]:
    with db.unit_of_work(write=False) as session:
        repo = LeadRepository(session, workspace.id)
        rows, total = repo.list_page(filters, PageRequest(per_page=100))
        assert repo.count_matching(filters) == total
        streamed = [
            lead_id
            for chunk in repo.stream_matching(filters, [Lead.email], chunk_size=2, limit=100)
            for lead_id in chunk[0]
        ]
    assert sorted(streamed) == sorted(row["id"] for row in rows)
    return [row["id"] for row in rows], total


def test_filters_of_one_shape_answer_each_with_its_own_values(
    db: Database, workspace: Workspace
) -> None:
    web = make_lead(db, workspace, source="web", status="new", starred=True, tags=["vip"])
    ads = make_lead(db, workspace, source="ads", status="won", phone="+14155550101")
    both = make_lead(db, workspace, source="ads", status="new", tags=["cold"], form_name="Quote")
    theirs = make_lead(db, make_workspace(db, "globex"), source="web", status="new", tags=["vip"])
    old = utcnow() - timedelta(days=30)
    with db.unit_of_work() as session:
        session.execute(update(Lead).where(Lead.id == ads).values(created_at=old))

    cases: list[tuple[list[LeadFilters], list[list[int]]]] = [
        ([LeadFilters(sources=["web"]), LeadFilters(sources=["ads"])], [[web], [both, ads]]),
        (
            [LeadFilters(statuses=["won"]), LeadFilters(statuses=["new", "won"])],
            [[ads], [both, web, ads]],
        ),
        (
            [LeadFilters(excluded_statuses=["new"]), LeadFilters(excluded_statuses=["won"])],
            [[ads], [both, web]],
        ),
        ([LeadFilters(starred=True), LeadFilters(starred=False)], [[web], [both, ads]]),
        ([LeadFilters(tag="VIP"), LeadFilters(tag="cold")], [[web], [both]]),
        (
            [LeadFilters(tag="vip", sources=["web"]), LeadFilters(tag="cold", sources=["ads"])],
            [[web], [both]],
        ),
        ([LeadFilters(form_name="Quote"), LeadFilters(form_name="Other")], [[both], []]),
        (
            [
                LeadFilters(created_before=old + timedelta(days=1)),
                LeadFilters(created_after=old + timedelta(days=1)),
            ],
            [[ads], [both, web]],
        ),
        (
            [LeadFilters(has={"phone": True}), LeadFilters(has={"phone": False})],
            [[ads], [both, web]],
        ),
        ([LeadFilters(tag="nobody")], [[]]),
    ]
    for filters, expected in cases:
        for one, ids in zip(filters, expected, strict=True):
            assert _listed(db, workspace, one) == (ids, len(ids)), one
    assert theirs not in _listed(db, workspace, LeadFilters())[0]


def test_a_shape_builds_its_statements_once() -> None:
    first, _ = filtering.bind(LeadFilters(statuses=["new"]), 1, [])
    second, values = filtering.bind(LeadFilters(statuses=["won", "lost"]), 2, [])
    assert first == second
    assert values == {"workspace_id": 2, "statuses": ["won", "lost"]}
    page = filtering.page(first, "created_at", "desc", by_tag_rows=False)
    assert filtering.page(second, "created_at", "desc", by_tag_rows=False) is page
    assert filtering.count(first, by_tag_rows=False) is filtering.count(second, by_tag_rows=False)
    other, _ = filtering.bind(LeadFilters(statuses=["new"], starred=True), 1, [])
    assert filtering.page(other, "created_at", "desc", by_tag_rows=False) is not page
