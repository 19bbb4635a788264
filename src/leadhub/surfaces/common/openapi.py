"""One OpenAPI document for every mounted surface, each operation listing its scopes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from leadhub.domains.idempotency import service as idempotency
from leadhub.surfaces.common.deps import RequireScope, authenticate
from leadhub.surfaces.common.idempotency import HEADER, REPLAYED_HEADER

_SCHEMAS = "#/components/schemas/"


def required_scopes(dependant: Dependant) -> list[str]:
    found: list[str] = []
    for dependency in _walk(dependant):
        if isinstance(dependency.call, RequireScope) and dependency.call.scope not in found:
            found.append(dependency.call.scope)
    return found


def needs_key(dependant: Dependant) -> bool:
    """Whether the route authenticates a key (with or without a scope)."""
    return any(dependency.call is authenticate for dependency in _walk(dependant))


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _walk(dependency)


def merged_schema(
    *, title: str, version: str, description: str, surfaces: Iterable[tuple[str, FastAPI]]
) -> dict[str, Any]:
    """The OpenAPI document of every surface, with paths under their mount prefixes."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    for prefix, app in surfaces:
        part = get_openapi(title=title, version=version, routes=app.routes)
        _annotate_scopes(app, part)
        _annotate_idempotency(part)
        part = _distinct_schemas(part, document["components"]["schemas"], app.title.split()[0])
        for path, operations in part.get("paths", {}).items():
            document["paths"][prefix + path] = operations
        for kind, entries in part.get("components", {}).items():
            document["components"].setdefault(kind, {}).update(entries)
    return document


def _distinct_schemas(part: dict[str, Any], known: dict[str, Any], surface: str) -> dict[str, Any]:
    """The surface's part with each of its schemas that has the name of another surface's schema
    but another shape renamed after the surface (LeadPanther's `MagnetSummary` is not the native
    one): merged under one name, one would describe the other's answers."""
    schemas = part.get("components", {}).get("schemas", {})
    renamed = {
        name: f"{surface}{name}"
        for name, schema in schemas.items()
        if name in known and known[name] != schema
    }
    if not renamed:
        return part
    text = json.dumps(part)
    for name, new_name in renamed.items():
        text = text.replace(f'"{_SCHEMAS}{name}"', f'"{_SCHEMAS}{new_name}"')
    moved: dict[str, Any] = json.loads(text)
    moved_schemas = moved["components"]["schemas"]
    for name, new_name in renamed.items():
        moved_schemas[new_name] = moved_schemas.pop(name)
    return moved


def _annotate_scopes(app: FastAPI, part: dict[str, Any]) -> None:
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        scopes = required_scopes(route.dependant)
        if not scopes and not needs_key(route.dependant):
            continue
        for method in route.methods or ():
            operation = part["paths"].get(route.path_format or "", {}).get(method.lower())
            if operation is None:
                continue
            operation["x-required-scopes"] = scopes
            note = (
                "Required scope: " + ", ".join(f"`{scope}`" for scope in scopes) + "."
                if scopes
                else "Required: any valid API key."
            )
            operation["description"] = (operation.get("description", "") + "\n\n" + note).strip()


def _annotate_idempotency(part: dict[str, Any]) -> None:
    """On each operation taking an Idempotency-Key: the replay header on the answers a key
    keeps, and the 409 of a key still at work."""
    replayed = {
        "description": "`true` when this is the recorded answer to an earlier request with the "
        "same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    }
    for operations in part.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            if not any(p.get("in") == "header" and p.get("name") == HEADER for p in parameters):
                continue
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if status.isdigit() and idempotency.is_stored(int(status)):
                    response.setdefault("headers", {})[REPLAYED_HEADER] = replayed
            if "409" not in responses:
                busy: dict[str, Any] = {
                    "description": "CONFLICT: a request with the same Idempotency-Key is still "
                    "in progress; retry later"
                }
                if "content" in responses.get("422", {}):
                    busy["content"] = responses["422"]["content"]
                responses["409"] = busy
