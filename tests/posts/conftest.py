"""An app whose node may call private and loopback targets (the local webhook receiver)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.conftest import BASE_URL, node_app


@pytest.fixture
def private_app(settings: Settings, db: Database) -> FastAPI:
    return node_app(settings.model_copy(update={"webhook_allow_private": True}), db)


@pytest.fixture
def private_client(private_app: FastAPI) -> TestClient:
    return TestClient(private_app, base_url=BASE_URL)
