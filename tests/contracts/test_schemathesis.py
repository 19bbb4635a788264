"""Schemathesis against /openapi.json: every documented operation of every API surface (native,
inbound, LeadPanther, Leadsopedia, LeadTrackr) with generated valid and invalid requests.

No answer is a 500; every answer has a documented status, content type and headers and matches
its declared schema; every 4xx and 5xx body is in its surface's own error envelope. The run is
bounded (a fixed seed, derandomised, a few examples per operation) so that it fits in CI.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis import GenerationMode

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import BASE_URL, empty_database
from tests.contracts.seeded import SeededWorkspace, seed
from tests.surfaces.envelopes import parse_error

MAX_EXAMPLES = 8
BODY_EXAMPLES = 20
CONFIG: dict[str, Any] = {
    "seed": 20261122,
    # In-process calls; a busy CI machine may take seconds over the first call of a route.
    "request-timeout": 60,
    "generation": {
        "mode": "all",
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        "allow-x00": True,
    },
    "phases": {"stateful": {"enabled": False}},
    "operations": [
        {
            "include-method": ["POST", "PUT", "PATCH"],
            "phases": {"coverage": {"enabled": False}},
            "generation": {"max-examples": BODY_EXAMPLES},
        }
    ],
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        "response_headers_conformance": {"enabled": True},
    },
}


def documented_error_envelope(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """A 4xx or 5xx answer is JSON in the envelope its surface documents, with a message."""
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        parse_error(case.operation.path, content_type, response.content)
    return None


# -- the application and its data --------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    """/openapi.json of an application on a throwaway data directory (the document does not
    depend on the data): schemathesis makes one test per operation from it when collecting."""
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            data_dir=Path(directory),
            database_url=f"sqlite:///{directory}/openapi.db",
            base_url=BASE_URL,
            secret_key="test-secret",
        )
        app = create_app(settings)
        try:
            document: dict[str, Any] = app.openapi()
        finally:
            app.state.runtime.close()
    return document


@pytest.fixture(scope="module")
def fuzzed(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, SeededWorkspace]]:
    """The application and its seeded workspace, shared by every operation of the module: the
    rows stay from one operation to the next (seeding takes seconds), and go at the end."""
    database = Database(database_url)
    upgrade(database.engine)
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzzed"),
        database_url=database_url,
        base_url=BASE_URL,
        secret_key="test-secret",
        redis_url=None,
        webhook_allow_private=True,  # the seeded webhooks point at this machine
    )
    runtime = Runtime(settings=settings, db=database, limiter=RateLimiter())
    app = create_app(settings, runtime=runtime)
    try:
        yield app, seed(TestClient(app, base_url=BASE_URL), database)
    finally:
        empty_database(database)
        database.dispose()


def aim_at_real_records(case: schemathesis.Case, world: SeededWorkspace) -> None:
    """Most valid requests name the seeded records, so GET, PATCH and DELETE reach real rows."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    parameters = case.path_parameters or {}
    deleting = case.method.upper() == "DELETE"
    for name, generated in list(parameters.items()):
        if not world.aims_at_real_records(generated):
            continue
        real = world.real_value(case.path, name, generated, deleting=deleting)
        if real is not None:
            parameters[name] = real


schema = schemathesis.openapi.from_dict(
    openapi_document(), config=schemathesis.Config.from_dict(CONFIG)
)


@schema.parametrize()
def test_every_operation_keeps_its_documented_contract(
    case: schemathesis.Case, fuzzed: tuple[FastAPI, SeededWorkspace]
) -> None:
    app, world = fuzzed
    aim_at_real_records(case, world)
    case.call_and_validate(
        app=app, headers=world.headers, additional_checks=[documented_error_envelope]
    )
