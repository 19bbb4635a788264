"""The floor's web app: a bare Starlette app answering each scenario with bench.floor's SQL.

It shows what a Python ASGI server can do with the same database and the same rows, with one
connection per thread (as a pool would give). Run by uvicorn as a factory:
`BENCH_FLOOR_CONTEXT=ctx.json uvicorn bench.floor_app:create --factory`.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.data import BenchWorkspace, workspace_from_json, workspace_to_json
from bench.floor import Floor, to_json
from bench.scenarios import Scenario, build


def write_context(path: Path, database_url: str, search_table: str, ws: BenchWorkspace) -> None:
    """What `create` reads from BENCH_FLOOR_CONTEXT: the database, its search table, the
    workspace."""
    context = {
        "database_url": database_url,
        "search_table": search_table,
        "workspace": workspace_to_json(ws),
    }
    path.write_text(json.dumps(context))


def create() -> Starlette:
    context = json.loads(Path(os.environ["BENCH_FLOOR_CONTEXT"]).read_text())
    database_url, search_table = context["database_url"], context["search_table"]
    ws = workspace_from_json(context["workspace"])
    scenarios = {scenario.name: scenario for scenario in build(ws)}
    local = threading.local()

    def floor() -> Floor:
        if not hasattr(local, "floor"):
            local.floor = Floor(database_url, ws, search_table)
        found: Floor = local.floor
        return found

    def answer(scenario: Scenario, args: dict[str, Any]) -> Response:
        return Response(to_json(floor().answer(scenario, args)), media_type="application/json")

    def read(request: Request) -> Response:
        scenario = scenarios[request.path_params["name"]]
        return answer(scenario, json.loads(request.query_params["a"]))

    async def write(request: Request) -> Response:
        scenario = scenarios[request.path_params["name"]]
        args = await request.json()
        # Sync work goes to the thread pool, as FastAPI does with LeadHub's sync endpoints.
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(answer, scenario, args)

    def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/api/v1/health", health),
            Route("/q/{name}", read, methods=["GET"]),
            Route("/q/{name}", write, methods=["POST"]),
        ]
    )
