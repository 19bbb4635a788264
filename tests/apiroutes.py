"""The API routes an application serves, read from its routing table (not its OpenAPI document)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, Mount

HEALTH_PATH = "/api/v1/health"
# Provider callbacks (Facebook, Google) authenticate with their own signature or key.
CALLBACK_PREFIX = "/api/integrations/"
_PARAMETER = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the full path template, for example /api/v1/leads/{lead_id}

    def example_path(self) -> str:
        """The path with every parameter replaced by a plausible value."""
        return _PARAMETER.sub("1", self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def api_operations(app: FastAPI) -> list[Operation]:
    """Every method and path served under /api, mounted surfaces included."""
    return [op for op in _operations(app.routes, "") if op.path.startswith("/api/")]


def authenticated_operations(app: FastAPI) -> list[Operation]:
    return [
        op
        for op in api_operations(app)
        if op.path != HEALTH_PATH and not op.path.startswith(CALLBACK_PREFIX)
    ]


def _operations(routes: list[BaseRoute], prefix: str) -> list[Operation]:
    found: list[Operation] = []
    for route in iter_route_contexts(routes):
        original = route.original_route
        if isinstance(original, Mount):
            found.extend(_operations(list(original.routes), prefix + original.path))
        elif isinstance(original, APIRoute) and route.include_in_schema:
            found.extend(
                Operation(method, prefix + (route.path_format or ""))
                for method in sorted(route.methods or ())
                if method != "HEAD"
            )
    return found
