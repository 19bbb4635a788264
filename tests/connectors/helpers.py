"""Enqueue a job and run it now, and read a job's outcome."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from leadhub.domains.jobs import service as jobs
from leadhub.models import Job
from leadhub.surfaces.common.runtime import Runtime
from tests.factories import Workspace


def run_job(app: FastAPI, workspace: Workspace, kind: str, payload: dict[str, Any]) -> str:
    """Enqueue the job and execute it once; the outcome ("done", "retry", "failed")."""
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work() as session:
        job_id = jobs.enqueue(session, kind, payload, workspace_id=workspace.id).id
    return runtime.jobs.execute(job_id)


def last_error(app: FastAPI) -> str | None:
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work(write=False) as session:
        job = session.query(Job).order_by(Job.id.desc()).first()
        return None if job is None else job.last_error
