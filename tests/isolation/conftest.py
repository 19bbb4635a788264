"""The isolation tests share one seeded world per module (seeding every kind of record takes
a while): its tables are emptied once the module is done, not after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leadhub.db.uow import Database
from tests.conftest import empty_database
from tests.isolation.world import World, build_world

# Module fixtures whose rows the module's tests share: emptied with the module.
SHARED = frozenset({"world", "dead_keys"})


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """As the suite's own, except for tests of a module's shared rows (emptied with them)."""
    yield
    if "live_db" in request.fixturenames:
        empty_database(request.getfixturevalue("live_db"))
    if "db" not in request.fixturenames or SHARED & set(request.fixturenames):
        return
    empty_database(request.getfixturevalue("db"))


@pytest.fixture(scope="module")
def world(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    empty_database(db)  # whatever a test before this module left
    built = build_world(db, tmp_path_factory.mktemp("isolation"))
    yield built
    empty_database(db)
