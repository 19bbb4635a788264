"""Sync endpoints of the API routers run in worker threads, their contract unchanged."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel

from leadhub.surfaces.common.threaded import ThreadedRoute


class Answer(BaseModel):
    thread: str
    doubled: int


def test_a_sync_endpoint_runs_in_a_worker_thread_with_its_parameters_and_model() -> None:
    router = APIRouter(route_class=ThreadedRoute)

    @router.get("/double", response_model=Answer)
    def double(n: Annotated[int, Query(ge=0)]) -> Answer:
        """Double a number."""
        return Answer(thread=threading.current_thread().name, doubled=2 * n)

    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as client:
        answer = client.get("/double", params={"n": 21})
        refused = client.get("/double", params={"n": -1})
        schema = client.get("/openapi.json").json()
    assert answer.status_code == 200 and answer.json()["doubled"] == 42
    assert answer.json()["thread"] != threading.main_thread().name
    assert "AnyIO worker thread" in answer.json()["thread"]
    assert refused.status_code == 422  # the query's validation is the endpoint's own
    operation = schema["paths"]["/double"]["get"]
    assert operation["summary"] == "Double"
    assert operation["description"] == "Double a number."
    assert operation["parameters"][0]["name"] == "n"
