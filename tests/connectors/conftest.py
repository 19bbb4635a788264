"""An app whose node allows private targets (the local servers listen on loopback)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.domains.integrations import service as integrations
from leadhub.domains.integrations.schemas import IntegrationCreate
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import node_app
from tests.factories import Workspace


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    return node_app(settings.model_copy(update={"webhook_allow_private": True}), db)


def make_integration(
    app: FastAPI, workspace: Workspace, kind: str, settings: dict[str, Any], name: str = ""
) -> int:
    runtime: Runtime = app.state.runtime
    with runtime.db.unit_of_work() as session:
        created = integrations.create_integration(
            session,
            workspace.principal(),
            data=IntegrationCreate(type=kind, name=name or kind, settings=settings),
            secret_box=runtime.secret_box,
        )
        return created.id
