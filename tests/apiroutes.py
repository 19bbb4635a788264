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
# The product dialects, each under /compat/<product>/ and answering errors in its product's shape.
COMPAT_PREFIX = "/compat/"
LEADTRACKR_PREFIX = "/compat/leadtrackr/"
LEADPANTHER_PREFIX = "/compat/leadpanther/"
LEADSOPEDIA_PREFIX = "/compat/leadsopedia/"
# Keyless by design: LeadTrackr's browser-side createLead names its project in the body.
KEYLESS_PATHS = frozenset({"/compat/leadtrackr/api/leads/createLead"})
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


def is_api_path(path: str) -> bool:
    """A path of an API surface: the native API under /api, or a product dialect's."""
    return path.startswith(("/api/", COMPAT_PREFIX))


def api_operations(app: FastAPI) -> list[Operation]:
    """Every method and path of the API surfaces (under /api and /compat), mounted ones included."""
    return [op for op in _operations(app.routes, "") if is_api_path(op.path)]


def authenticated_operations(app: FastAPI) -> list[Operation]:
    return [
        op
        for op in api_operations(app)
        if op.path != HEALTH_PATH
        and not op.path.startswith(CALLBACK_PREFIX)
        and op.path not in KEYLESS_PATHS
    ]


def native_operations(operations: list[Operation]) -> list[Operation]:
    """The operations of the native API (which answers errors in the seed's envelope)."""
    return [op for op in operations if not op.path.startswith(COMPAT_PREFIX)]


def all_operations(app: FastAPI) -> list[Operation]:
    """Every method and path the application routes, pages left out of the schema included."""
    return _operations(app.routes, "", hidden=True)


def _operations(routes: list[BaseRoute], prefix: str, *, hidden: bool = False) -> list[Operation]:
    found: list[Operation] = []
    for route in iter_route_contexts(routes):
        original = route.original_route
        if isinstance(original, Mount):
            found.extend(_operations(list(original.routes), prefix + original.path, hidden=hidden))
        elif isinstance(original, APIRoute) and (hidden or route.include_in_schema):
            found.extend(
                Operation(method, prefix + (route.path_format or ""))
                for method in sorted(route.methods or ())
                if method != "HEAD"
            )
    return found
