"""An app whose node may call private and loopback targets (the local webhook receiver)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import BASE_URL


@pytest.fixture
def private_app(settings: Settings, db: Database) -> FastAPI:
    allowed = settings.model_copy(update={"webhook_allow_private": True})
    runtime = Runtime(settings=allowed, db=db, limiter=RateLimiter())
    return create_app(allowed, runtime=runtime)


@pytest.fixture
def private_client(private_app: FastAPI) -> TestClient:
    return TestClient(private_app, base_url=BASE_URL)
