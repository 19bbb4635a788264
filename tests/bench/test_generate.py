"""The benchmark's data generator loads realistic, valid leads the API then serves."""

from __future__ import annotations

from bench.generate import generate
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from leadhub.db.uow import Database
from leadhub.models import Lead, LeadTag, Workspace
from tests.factories import Workspace as WorkspaceRef
from tests.factories import make_key


def test_generated_leads_are_unique_tagged_spread_and_listed_by_the_api(
    client: TestClient, db: Database
) -> None:
    done = generate(db, slug="bench", leads=300, seed=3)
    assert done.leads == 300 and done.seconds > 0
    with db.unit_of_work(write=False) as session:
        leads = session.scalar(
            select(func.count()).select_from(Lead).where(Lead.workspace_id == done.workspace_id)
        )
        emails = session.scalar(
            select(func.count(func.distinct(Lead.email))).where(
                Lead.workspace_id == done.workspace_id
            )
        )
        tags = session.scalar(select(func.count()).select_from(LeadTag))
        oldest, newest = session.execute(
            select(func.min(Lead.created_at), func.max(Lead.created_at))
        ).one()
        public_id = session.scalar(
            select(Workspace.public_id).where(Workspace.id == done.workspace_id)
        )
    assert leads == emails == 300
    assert 0 < (tags or 0) <= 300 * 5
    assert (newest - oldest).days > 365
    workspace = WorkspaceRef(id=done.workspace_id, slug="bench", public_id=str(public_id))
    headers = {"X-Api-Key": make_key(db, workspace)}
    listed = client.get("/api/v1/leads", params={"per_page": 100}, headers=headers).json()
    assert listed["meta"]["total"] == 300
    created = client.post("/api/v1/leads", json={"first_name": "After"}, headers=headers)
    assert created.status_code == 201 and created.json()["data"]["id"] > 300
