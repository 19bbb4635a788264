"""An agency, a client it may hold a grant on, and LeadPanther-style headers."""

from __future__ import annotations

import pytest

from leadhub.db.uow import Database
from tests.factories import Workspace, make_workspace


@pytest.fixture
def agency(db: Database) -> Workspace:
    return make_workspace(db, "agency", agency=True)


@pytest.fixture
def client_ws(db: Database) -> Workspace:
    return make_workspace(db, "client-a")
