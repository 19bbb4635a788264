"""A node that may deliver webhooks to a local receiver, and one such receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from leadhub.config import Settings
from leadhub.db.uow import Database
from tests.conftest import node_app
from tests.web.conftest import member, owner
from tests.webhooks.receiver import Receiver, receiver

# The web app's signed-in people, for the Settings → Privacy tests.
__all__ = ["member", "owner"]


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    return node_app(settings.model_copy(update={"webhook_allow_private": True}), db)


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    with receiver() as found:
        yield found
