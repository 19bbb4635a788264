"""Searching leads by fragments goes through the trigram index, which follows every change."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, text, update

from leadhub.db.maintenance import refresh_grown
from leadhub.db.uow import Database
from leadhub.domains.leads import search
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead
from tests.factories import Workspace, make_lead, make_workspace


def found(db: Database, workspace: Workspace, search: str) -> list[str]:
    with db.unit_of_work(write=False) as session:
        repo = LeadRepository(session, workspace.id)
        leads, total = repo.list_page(LeadFilters(search=search), PageRequest(per_page=100))
    assert total == len(leads)
    return sorted(f"{lead.first_name} {lead.last_name or ''}".strip() for lead in leads)


def test_fragments_of_every_column_find_the_lead(db: Database, workspace: Workspace) -> None:
    make_lead(
        db,
        workspace,
        first_name="Émilie",
        last_name="Dubois-Martin",
        email="emilie@atelier.example",
        phone="+33 6 12 34 56 78",
        company="Atelier Lumière",
    )
    make_lead(db, workspace, first_name="Paul", email="paul@other.example")
    for fragment in ("ÉMIL", "émilie", "bois-mar", "lier.exa", "612345", "6 12 34", "LUMIÈRE"):
        assert found(db, workspace, fragment) == ["Émilie Dubois-Martin"], fragment
    assert found(db, workspace, "émi dub") == ["Émilie Dubois-Martin"]
    assert found(db, workspace, "émi paul") == []  # every word must match
    assert found(db, workspace, "example") == ["Paul", "Émilie Dubois-Martin"]
    assert found(db, workspace, 'say "hi"') == []  # quotes are text, not query syntax
    assert found(db, workspace, "OR") == []
    assert found(db, workspace, "e AND") == []


def test_the_index_follows_updates_and_deletes(db: Database, workspace: Workspace) -> None:
    lead_id = make_lead(db, workspace, first_name="Zacharias", email="zach@example.com")
    with db.unit_of_work() as session:
        session.execute(update(Lead).where(Lead.id == lead_id).values(first_name="Quentin"))
    assert found(db, workspace, "zachar") == []
    assert found(db, workspace, "quent") == ["Quentin"]
    with db.unit_of_work() as session:
        session.execute(delete(Lead).where(Lead.id == lead_id))
    assert found(db, workspace, "quent") == []


def test_another_workspaces_leads_are_not_found(db: Database, workspace: Workspace) -> None:
    other = make_workspace(db, "other")
    make_lead(db, other, first_name="Hidden", email="hidden@example.com")
    assert found(db, workspace, "hidden") == []
    assert found(db, other, "hidden") == ["Hidden"]


def _many_leads(db: Database, workspace: Workspace, count: int) -> None:
    rows = [
        {
            "workspace_id": workspace.id,
            "first_name": f"Person{n}",
            "email": f"p{n}@example.com",
            "phone": f"+1415{n:07d}",
            "status": "new",
            "source": "api",
            "lead_score": 0,
            "starred": False,
            "custom_fields": {},
        }
        for n in range(count)
    ]
    with db.unit_of_work() as session:
        session.execute(insert(Lead), rows)
    # As the product does after a bulk write: the planner must not plan from the statistics of
    # an earlier test's few rows.
    refresh_grown(db.engine, ["leads"])


def test_a_search_reads_the_index_not_the_leads(own_db: Database, own_workspace: Workspace) -> None:
    # A database of its own: the plan must not depend on what earlier tests left in the shared one.
    db, workspace = own_db, own_workspace
    _many_leads(db, workspace, 3000)
    with db.unit_of_work(write=False) as session:
        repo = LeadRepository(session, workspace.id)
        statement = repo.select(Lead).where(*repo._search(LeadFilters(search="person12 0000012")))
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if session.get_bind().dialect.name == "sqlite":
            query = f"EXPLAIN QUERY PLAN {compiled}"
            plan = " ".join(str(row[-1]) for row in session.execute(text(query)))
            assert "leads_search VIRTUAL TABLE INDEX" in plan
            assert "SCAN leads" not in plan.replace("SCAN leads_search", "")
        else:
            # The workspace's own index may be cheaper on a few thousand rows: ask whether the
            # trigram index can answer the search at all (a bitmap scan needs a usable index).
            criteria = repo._search(LeadFilters(search="person12 0000012"))
            only_search = select(Lead.id).where(*criteria)
            compiled = only_search.compile(
                session.get_bind(), compile_kwargs={"literal_binds": True}
            )
            session.execute(text("SET LOCAL enable_seqscan = off"))
            session.execute(text("SET LOCAL enable_indexscan = off"))
            query = f"EXPLAIN {compiled}".replace("%%", "%")
            plan = " ".join(row[0] for row in session.execute(text(query)))
            assert "Bitmap Index Scan on ix_leads_search_trgm" in plan
    assert found(db, workspace, "person12 0000012") == ["Person12"]


def test_a_search_with_many_matches_gives_the_same_pages(
    db: Database, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_leads(db, workspace, 300)

    def pages(search_text: str) -> list[tuple[int, list[int]]]:
        with db.unit_of_work(write=False) as session:
            repo = LeadRepository(session, workspace.id)
            found = []
            for number in (1, 3):
                for sort in ("created_at", "email"):
                    filters = LeadFilters(search=search_text, sort=sort, direction="asc")
                    leads, total = repo.list_page(filters, PageRequest(page=number, per_page=40))
                    found.append((total, [lead.id for lead in leads]))
            return found

    few = pages("person1")
    monkeypatch.setattr(search, "MANY_MATCHES", 2)
    assert pages("person1") == few
    assert few[0][0] == 111  # Person1, Person10..19, Person100..199


def test_many_matches_walk_the_sort_order_on_sqlite(db: Database, workspace: Workspace) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans from its own statistics")
    with db.unit_of_work(write=False) as session:
        repo = LeadRepository(session, workspace.id)
        criteria = repo._search(LeadFilters(search="person"), many_matches=True)
        statement = repo.select(Lead).where(*criteria).order_by(Lead.created_at.desc()).limit(25)
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        query = f"EXPLAIN QUERY PLAN {compiled}"
        plan = " ".join(str(row[-1]) for row in session.execute(text(query)))
    assert "USING INTEGER PRIMARY KEY" not in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_a_small_workspace_reads_only_its_own_matches(db: Database, workspace: Workspace) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the trigram index of PostgreSQL is read with the workspace's condition")
    with db.unit_of_work(write=False) as session:
        repo = LeadRepository(session, workspace.id)
        statement = repo.select(Lead).where(*repo._search(LeadFilters(search="person")))
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        query = f"EXPLAIN QUERY PLAN {compiled}"
        plan = " ".join(str(row[-1]) for row in session.execute(text(query)))
    # The index's matches (of every workspace) go through this workspace's index of ids first.
    assert "workspace_leads USING COVERING INDEX" in plan
