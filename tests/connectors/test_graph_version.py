"""LEADHUB_META_GRAPH_VERSION: the Graph API version every Facebook and Meta call uses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.integrations import connectors
from leadhub.integrations import adplatforms
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION
from leadhub.models import Lead
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import BASE_URL, node_app
from tests.connectors.conftest import make_integration
from tests.connectors.servers import Received, http_server
from tests.connectors.test_adplatforms_meta import EVENT, RECEIVED
from tests.connectors.test_adplatforms_meta import config as pixel_config
from tests.connectors.test_facebook import GRAPH_LEAD, LEADGEN_EVENT, facebook_integration, sign
from tests.factories import Workspace

NEWER = "v24.0"


@pytest.fixture
def newer_app(settings: Settings, db: Database) -> FastAPI:
    """A node that allows loopback targets and calls the Graph API at v24.0."""
    node = settings.model_copy(update={"webhook_allow_private": True, "meta_graph_version": NEWER})
    return node_app(node, db)


def test_the_setting_defaults_to_a_supported_version_and_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().meta_graph_version == DEFAULT_GRAPH_VERSION == "v23.0"
    monkeypatch.setenv("LEADHUB_META_GRAPH_VERSION", "v25.0")
    assert Settings().meta_graph_version == "v25.0"


@pytest.mark.parametrize("bad", ["23.0", "v23", "v23.0/", "v23.0 ", "latest", ""])
def test_a_malformed_version_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        Settings(meta_graph_version=bad)


def test_the_facebook_lead_job_fetches_at_the_nodes_version(
    newer_app: FastAPI, workspace: Workspace
) -> None:
    def graph(received: Received) -> tuple[int, Any]:
        if received.path.startswith(f"/{NEWER}/123123123123?"):
            return 200, GRAPH_LEAD
        return 400, {"error": {"message": "Unsupported version", "code": 2635}}

    runtime: Runtime = newer_app.state.runtime
    client = TestClient(newer_app, base_url=BASE_URL)
    with http_server(graph) as server:
        integration_id = facebook_integration(newer_app, workspace, server.url)
        body = json.dumps(LEADGEN_EVENT).encode()
        answer = client.post(
            f"/api/integrations/facebook/{integration_id}/webhook",
            content=body,
            headers={"X-Hub-Signature-256": sign(body), "Content-Type": "application/json"},
        )
        assert answer.status_code == 200
        assert runtime.jobs.run_pending() == ["done"]
    assert [request.path.split("?")[0] for request in server.received] == [f"/{NEWER}/123123123123"]
    with runtime.db.unit_of_work(write=False) as session:
        assert session.scalars(select(Lead.email)).all() == ["joe@example.com"]


def test_meta_conversions_and_their_check_use_the_given_version(
    newer_app: FastAPI, workspace: Workspace
) -> None:
    def graph(received: Received) -> tuple[int, Any]:
        if received.method == "POST":
            return 200, RECEIVED
        return 200, {"name": "Acme Pixel", "id": "1234567890"}

    runtime: Runtime = newer_app.state.runtime
    with http_server(graph) as server:
        settings = pixel_config(server.url)
        adplatforms.send(
            "meta_conversions_api",
            settings,
            EVENT,
            target="Lead",
            allow_private=True,
            graph_version=NEWER,
        )
        integration_id = make_integration(newer_app, workspace, "meta_conversions_api", settings)
        with runtime.db.unit_of_work() as session:
            result = connectors.test_connection(
                session,
                workspace.principal(),
                integration_id,
                secret_box=runtime.secret_box,
                allow_private=True,
                graph_version=runtime.settings.meta_graph_version,
            )
    assert result.ok, result.message
    assert [(request.method, request.path.split("?")[0]) for request in server.received] == [
        ("POST", f"/{NEWER}/1234567890/events"),
        ("GET", f"/{NEWER}/1234567890"),
    ]
