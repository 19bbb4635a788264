"""GET /api/v1/health: reachable, and how the database and the job queue answer."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

import leadhub
from leadhub.kit.clock import isoformat, utcnow
from leadhub.surfaces.common.deps import RuntimeDep
from leadhub.surfaces.common.idempotency import IdempotentRoute

router = APIRouter(route_class=IdempotentRoute, tags=["Health"])


class DatabaseHealth(BaseModel):
    status: Literal["ok", "error"]
    kind: str = Field(description="sqlite or postgresql")
    latency_ms: float = Field(description="How long the probe's query took (2 s at most).")


class QueueHealth(BaseModel):
    status: Literal["ok", "error"]
    backend: str = Field(description="sqlite (jobs.db in the data dir) or redis")
    pending: int | None = Field(description="Jobs waiting for a consumer; null when down.")
    scheduled: int | None = Field(description="Retries waiting for their time; null when down.")
    latency_ms: float = Field(description="How long the probe took (1 s at most).")


class Health(BaseModel):
    status: Literal["ok", "degraded", "error"] = Field(
        description="ok; degraded (200) when only the job queue does not answer: requests are "
        "served and their jobs wait in the database until it is back; error (503) when the "
        "database does not answer."
    )
    version: str
    timestamp: str
    database: DatabaseHealth
    queue: QueueHealth


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer."}},
)
def health(runtime: RuntimeDep) -> JSONResponse:
    """Check that the instance is reachable, and its database and job queue (no API key
    needed)."""
    database = runtime.db_probe.check()
    queue = runtime.jobs.status()
    status: Literal["ok", "degraded", "error"] = "ok"
    if not database.ok:
        status = "error"
    elif not queue.ok:
        status = "degraded"
    body = Health(
        status=status,
        version=leadhub.__version__,
        timestamp=isoformat(utcnow()) or "",
        database=DatabaseHealth(
            status="ok" if database.ok else "error",
            kind=database.kind,
            latency_ms=database.latency_ms,
        ),
        queue=QueueHealth(
            status="ok" if queue.ok else "error",
            backend=queue.backend,
            pending=queue.pending,
            scheduled=queue.scheduled,
            latency_ms=queue.latency_ms,
        ),
    )
    return JSONResponse(body.model_dump(), status_code=503 if status == "error" else 200)
