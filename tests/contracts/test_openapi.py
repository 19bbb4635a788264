"""The API reference: /openapi.json and /docs answer, every /api route is documented with its
scopes, both credentials and the error envelope it may answer."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.auth.scopes import canonical
from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.apiroutes import (
    HEALTH_PATH,
    KEYLESS_PATHS,
    LEADPANTHER_PREFIX,
    LEADSOPEDIA_PREFIX,
    LEADTRACKR_PREFIX,
    Operation,
    api_operations,
    authenticated_operations,
    is_api_path,
)
from tests.conftest import BASE_URL, node_app
from tests.factories import Workspace, make_key
from tests.surfaces.native.assertions import bearer

# Routes any valid key may call, whatever its scopes.
KEY_ONLY_PATHS = frozenset({"/api/v1/me", "/compat/leadpanther/api/v1/me"})
ERROR_STATUSES = ("401", "403", "404", "422", "429", "500", "503")
ERROR_SCHEMA = "#/components/schemas/ErrorEnvelope"
# Each product dialect declares its errors in its own shape: (path prefix, statuses, schema).
DIALECT_ERRORS = (
    (
        LEADTRACKR_PREFIX,
        ("400", "401", "403", "404", "429", "500", "503"),
        "#/components/schemas/LeadTrackrError",
    ),
    (
        LEADPANTHER_PREFIX,
        ("400", "401", "403", "404", "429", "500", "503"),
        "#/components/schemas/LeadPantherError",
    ),
    (
        LEADSOPEDIA_PREFIX,
        ("400", "401", "403", "404", "429", "500", "503"),
        "#/components/schemas/LeadsopediaError",
    ),
)


def declared_errors(operation: Operation) -> tuple[tuple[str, ...], str]:
    """The error statuses the operation must declare, and the schema each one answers."""
    for prefix, statuses, schema in DIALECT_ERRORS:
        if operation.path.startswith(prefix):
            return statuses, schema
    return ERROR_STATUSES, ERROR_SCHEMA


@pytest.fixture(scope="module")
def document(
    database_url: str, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The document, generated once for the module (it takes a while on this many routes)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("openapi"),
        database_url=database_url,
        base_url=BASE_URL,
        secret_key="test-secret",
        redis_url=None,
    )
    app = node_app(settings, db)
    response = TestClient(app, base_url=BASE_URL).get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operation_of(document: dict[str, Any], operation: Operation) -> dict[str, Any]:
    found: dict[str, Any] | None = (
        document["paths"].get(operation.path, {}).get(operation.method.lower())
    )
    assert found is not None, f"{operation} is not in the OpenAPI document"
    return found


def test_the_openapi_document_answers_without_a_key(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["openapi"].startswith("3.")
    assert body["info"]["title"] == "LeadHub"
    assert body["info"]["version"] == "1.0.0"


def test_the_docs_page_answers_without_a_key(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text


def test_the_docs_page_runs_only_swagger_ui_and_may_not_be_framed(client: TestClient) -> None:
    response = client.get("/docs")
    directives = dict(
        (part.split()[0], part.split()[1:])
        for part in response.headers["content-security-policy"].split(";")
    )
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"
    # The CDN's bundle, and the page's one inline script by its hash: no 'unsafe-inline'.
    sources = directives["script-src"]
    assert sources[0] == "https://cdn.jsdelivr.net" and len(sources) == 2
    inline = re.search(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert inline is not None
    digest = base64.b64encode(hashlib.sha256(inline.group(1).encode()).digest()).decode()
    assert sources[1] == f"'sha256-{digest}'"
    assert "SwaggerUIBundle" in inline.group(1)


def test_every_api_route_is_in_the_document(app: FastAPI, document: dict[str, Any]) -> None:
    operations = api_operations(app)
    assert len(operations) > 2
    for operation in operations:
        operation_of(document, operation)


def test_the_document_lists_no_route_that_does_not_exist(
    app: FastAPI, document: dict[str, Any]
) -> None:
    served = {(op.method.lower(), op.path) for op in api_operations(app)}
    documented = {
        (method, path)
        for path, operations in document["paths"].items()
        if is_api_path(path)
        for method in operations
    }
    assert documented == served


def test_every_route_but_health_lists_its_required_scopes(
    app: FastAPI, document: dict[str, Any]
) -> None:
    for operation in authenticated_operations(app):
        scopes = operation_of(document, operation).get("x-required-scopes")
        if operation.path in KEY_ONLY_PATHS:
            assert scopes == [], operation  # any valid key
            continue
        assert scopes, f"{operation} lists no x-required-scopes"
        assert all(canonical(scope) == scope for scope in scopes), (operation, scopes)


def test_every_route_but_health_names_its_scopes_in_its_description(
    app: FastAPI, document: dict[str, Any]
) -> None:
    for operation in authenticated_operations(app):
        documented = operation_of(document, operation)
        for scope in documented["x-required-scopes"]:
            assert f"`{scope}`" in documented.get("description", ""), operation


def test_the_health_check_requires_no_scope_and_no_credential(document: dict[str, Any]) -> None:
    health = document["paths"][HEALTH_PATH]["get"]
    assert "x-required-scopes" not in health
    assert not health.get("security")


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("get", "/api/v1/leads", "read:leads"),
        ("post", "/api/v1/leads", "write:leads"),
        ("get", "/api/v1/leads/{lead_id}", "read:leads"),
        ("put", "/api/v1/leads/{lead_id}", "write:leads"),
        ("patch", "/api/v1/leads/{lead_id}", "write:leads"),
        ("delete", "/api/v1/leads/{lead_id}", "delete:leads"),
        ("post", "/api/v1/leads/{lead_id}/tags", "write:leads"),
        ("delete", "/api/v1/leads/{lead_id}/tags/{tag}", "write:leads"),
        ("post", "/api/inbound/leads", "write:leads"),
        ("get", "/compat/leadtrackr/api/leads/getLeads", "read:leads"),
        ("get", "/compat/leadtrackr/api/leads/getLead", "read:leads"),
        ("post", "/compat/leadtrackr/api/leads/createServerSideLead", "write:leads"),
        ("post", "/compat/leadtrackr/api/leads/updateLeadStatus", "write:leads"),
    ],
)
def test_lead_routes_list_the_seeds_scopes(
    document: dict[str, Any], method: str, path: str, scope: str
) -> None:
    assert document["paths"][path][method]["x-required-scopes"] == [scope]


@pytest.mark.parametrize("path", sorted(KEYLESS_PATHS))
def test_a_keyless_route_is_documented_without_scopes_or_credentials(
    document: dict[str, Any], path: str
) -> None:
    for operation in document["paths"][path].values():
        assert "x-required-scopes" not in operation
        assert not operation.get("security")


def test_the_leadtrackr_routes_are_documented_under_their_tag(document: dict[str, Any]) -> None:
    paths = [path for path in document["paths"] if path.startswith(LEADTRACKR_PREFIX)]
    assert sorted(paths) == [
        f"{LEADTRACKR_PREFIX}api/leads/{name}"
        for name in sorted(
            ("createLead", "createServerSideLead", "getLeads", "getLead", "updateLeadStatus")
        )
    ]
    for path in paths:
        for operation in document["paths"][path].values():
            assert operation["tags"] == ["LeadTrackr"], path


LEADPANTHER_OPERATIONS = [
    ("get", "api/v1/me", []),
    ("get", "api/v1/clients", ["read:clients"]),
    ("post", "api/v1/lead-magnets", ["write:lead_magnets"]),
    ("get", "api/v1/lead-magnets/{id}/analytics", ["read:analytics"]),
    ("post", "api/v1/media/upload-url", ["write:media"]),
    ("post", "api/v1/posts", ["write:posts"]),
    ("get", "api/v1/posts/{id}/engagement", ["read:analytics"]),
    ("get", "api/v1/leads", ["read:leads"]),
    ("get", "api/v1/activity", ["read:activity"]),
]


def test_the_leadpanther_routes_are_documented_with_the_documents_scopes(
    document: dict[str, Any],
) -> None:
    documented = {
        (method, path.removeprefix(LEADPANTHER_PREFIX))
        for path, operations in document["paths"].items()
        if path.startswith(LEADPANTHER_PREFIX)
        for method in operations
    }
    assert documented == {(method, path) for method, path, _ in LEADPANTHER_OPERATIONS}
    for method, path, scopes in LEADPANTHER_OPERATIONS:
        operation = document["paths"][LEADPANTHER_PREFIX + path][method]
        assert operation["x-required-scopes"] == scopes, path
        assert operation["tags"] == ["LeadPanther"], path


def test_a_key_holding_the_listed_scopes_is_admitted_and_one_without_is_refused(
    app: FastAPI, client: TestClient, document: dict[str, Any], db: Database, workspace: Workspace
) -> None:
    for operation in authenticated_operations(app):
        scopes = operation_of(document, operation)["x-required-scopes"]
        resources = {scope.partition(":")[2] for scope in scopes}
        unrelated = "read:webhooks" if "activity" in resources else "read:activity"
        # A key-only route admits any key: the unrelated one too.
        cases = ((scopes or [unrelated], False), ([unrelated], bool(scopes)))
        for key_scopes, refused in cases:
            response = client.request(
                operation.method,
                operation.example_path(),
                params={"tenant": workspace.slug},
                json={},
                headers=bearer(make_key(db, workspace, scopes=key_scopes)),
            )
            assert (response.status_code == 403) is refused, (
                f"{operation} with {key_scopes}: {response.status_code} {response.text}"
            )


def test_both_security_schemes_are_declared(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http"
    assert schemes["bearerAuth"]["scheme"].lower() == "bearer"
    assert schemes["apiKeyHeader"] == {
        **schemes["apiKeyHeader"],
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
    }


def test_every_route_but_health_accepts_either_credential(
    app: FastAPI, document: dict[str, Any]
) -> None:
    for operation in authenticated_operations(app):
        security = operation_of(document, operation).get("security", [])
        assert {"bearerAuth": []} in security, operation
        assert {"apiKeyHeader": []} in security, operation


def test_every_route_but_health_declares_its_errors_with_the_envelope(
    app: FastAPI, document: dict[str, Any]
) -> None:
    for operation in authenticated_operations(app):
        responses = operation_of(document, operation)["responses"]
        statuses, error_schema = declared_errors(operation)
        for status in statuses:
            assert status in responses, f"{operation} does not declare {status}"
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": error_schema}, (operation, status, schema)


def test_the_error_envelope_schema_has_the_seeds_fields(document: dict[str, Any]) -> None:
    envelope = document["components"]["schemas"]["ErrorEnvelope"]
    assert set(envelope["properties"]) == {"status", "message", "code", "errors"}
    errors = envelope["properties"]["errors"]
    assert errors["type"] == "object"
    assert errors["additionalProperties"]["type"] == "array"


def test_fastapis_own_validation_error_shape_is_not_documented(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                assert "HTTPValidationError" not in str(schema), (method, path, status)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _analytics_magnet_id(document: dict[str, Any], path: str) -> dict[str, Any]:
    answer = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    body = _resolve(document, answer["schema"])
    if "data" in body["properties"]:  # the native envelope
        body = _resolve(document, body["properties"]["data"])
    magnet = _resolve(document, body["properties"]["lead_magnet"])
    id_schema: dict[str, Any] = magnet["properties"]["id"]
    return id_schema


def test_schemas_of_the_same_name_on_two_surfaces_stay_apart(document: dict[str, Any]) -> None:
    """The native API and LeadPanther both have a `MagnetSummary`, of different shapes: each
    operation is documented with its own surface's."""
    native = _analytics_magnet_id(document, "/api/v1/lead-magnets/{magnet_id}/analytics")
    dialect = _analytics_magnet_id(
        document, "/compat/leadpanther/api/v1/lead-magnets/{id}/analytics"
    )
    assert native["type"] == "integer"
    assert dialect["type"] == "string"
