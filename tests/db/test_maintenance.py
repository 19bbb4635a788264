"""The query planner's statistics are refreshed: on SQLite by ANALYZE, hourly and on demand."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import text

from leadhub.db.maintenance import refresh_statistics
from leadhub.db.uow import Database
from leadhub.kit.clock import utcnow
from leadhub.surfaces.common.runtime import Runtime
from tests.factories import Workspace, make_lead


def test_statistics_describe_the_leads_after_a_refresh(db: Database, workspace: Workspace) -> None:
    for number in range(3):
        make_lead(db, workspace, email=f"p{number}@example.com", tags=["vip"])
    ran = refresh_statistics(db.engine)
    if db.engine.dialect.name != "sqlite":
        assert ran is False  # PostgreSQL's autovacuum keeps its own statistics
        return
    assert ran is True
    with db.engine.connect() as connection:
        described = set(connection.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())
    assert {"leads", "lead_tags"} <= described


def test_the_job_queue_refreshes_statistics_hourly(app: FastAPI, db: Database) -> None:
    runtime: Runtime = app.state.runtime
    hour = utcnow().replace(second=0, microsecond=0)
    runs = [
        minute
        for minute in range(60)
        if "leadhub.refresh_statistics"
        in [task.name for task in runtime.jobs.huey.read_periodic(hour.replace(minute=minute))]
    ]
    assert len(runs) == 1
    assert runtime.jobs.refresh_statistics() is (db.engine.dialect.name == "sqlite")
