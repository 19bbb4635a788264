"""Export test helpers: credits, leads made in bulk, running the queued jobs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.domains.credits import service as credits
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate
from leadhub.models import Lead
from leadhub.models import Workspace as WorkspaceRow
from tests.factories import Workspace

BATCH = 5000


def grant(db: Database, workspace: Workspace, amount: int) -> None:
    with db.unit_of_work() as session:
        credits.grant(session, workspace.id, amount, reason="test credits")


def credits_left(db: Database, workspace: Workspace) -> int:
    with db.unit_of_work(write=False) as session:
        return credits.balance(session, workspace.id)


def set_cost(db: Database, workspace: Workspace, cost: int) -> None:
    with db.unit_of_work() as session:
        session.execute(
            update(WorkspaceRow)
            .where(WorkspaceRow.id == workspace.id)
            .values(export_credit_cost=cost)
        )


def bulk_leads(db: Database, workspace: Workspace, count: int, **fields: Any) -> None:
    """`count` leads inserted in batches (not through the service: it is for volume)."""
    prefix = fields.pop("prefix", "lead")
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        rows = [
            {
                "workspace_id": workspace.id,
                "first_name": f"First {done + n}",
                "last_name": "Bulk",
                "email": f"{prefix}{done + n}@example.com",
                "company": "Acme Inc",
                "city": "Lyon",
                "country": "France",
                "custom_fields": {},
                **fields,
            }
            for n in range(size)
        ]
        with db.unit_of_work() as session:
            session.execute(Lead.__table__.insert(), rows)
        done += size


def make_list(db: Database, workspace: Workspace, name: str, lead_ids: list[int]) -> int:
    with db.unit_of_work() as session:
        created = lists.create_list(session, workspace.principal(), data=ListCreate(name=name))
        if lead_ids:
            lists.add_leads(session, workspace.principal(), created.id, lead_ids)
        return created.id


def run_jobs(app: FastAPI) -> list[str]:
    """Run every due job until none is left; answers the outcomes."""
    outcomes: list[str] = []
    while ran := app.state.runtime.jobs.run_pending():
        outcomes.extend(ran)
    return outcomes
