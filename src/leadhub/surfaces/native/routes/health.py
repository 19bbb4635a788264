"""GET /api/v1/health: reachable, and the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

import leadhub
from leadhub.kit.clock import isoformat, utcnow
from leadhub.surfaces.common.deps import RuntimeDep
from leadhub.surfaces.common.idempotency import IdempotentRoute

router = APIRouter(route_class=IdempotentRoute, tags=["Health"])


class Health(BaseModel):
    status: str
    version: str
    timestamp: str


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(runtime: RuntimeDep) -> JSONResponse:
    """Check that the instance is reachable (no API key needed)."""
    status, code = "ok", 200
    try:
        with runtime.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        status, code = "error", 503
    body = Health(status=status, version=leadhub.__version__, timestamp=isoformat(utcnow()) or "")
    return JSONResponse(body.model_dump(), status_code=code)
