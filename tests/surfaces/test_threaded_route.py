"""Sync endpoints of the API routers run in worker threads, their contract unchanged."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Annotated

import pytest
from fastapi import APIRouter, FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import text

from leadhub.db.uow import Database, UnitOfWork
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.common.threaded import ThreadedRoute
from leadhub.surfaces.common.turns import WriteTurns


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


def test_a_unit_of_work_ends_in_the_thread_that_ran_its_endpoint(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended: list[tuple[str, bool]] = []
    ran: list[str] = []
    end = UnitOfWork.end

    def recorded(unit: UnitOfWork, error: BaseException | None = None) -> None:
        if not unit.ended:
            ended.append((threading.current_thread().name, error is None))
        end(unit, error)

    monkeypatch.setattr(UnitOfWork, "end", recorded)
    router = APIRouter(route_class=ThreadedRoute)

    @router.get("/answers")
    def answers(session: SessionDep) -> int:
        ran.append(threading.current_thread().name)
        return int(session.execute(text("SELECT 1")).scalar_one())

    @router.get("/fails")
    def fails(session: SessionDep) -> int:
        ran.append(threading.current_thread().name)
        session.execute(text("SELECT 1"))
        raise LookupError("no such thing")

    app = FastAPI()
    app.state.runtime = SimpleNamespace(db=db, write_turns=WriteTurns(serialized=False))
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/answers").json() == 1
        assert client.get("/fails").status_code == 500
    # Committed, then rolled back, each where its endpoint ran: no hand-over to another thread.
    assert ended == [(ran[0], True), (ran[1], False)]
