"""Migrating one database from several processes at once (every node migrates when it starts):
one applies the migrations, the others wait for it and find nothing to do. Both backends."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from leadhub.db.migrate import alembic_config, upgrade
from leadhub.db.uow import Database
from tests.conftest import LEADHUB_COMMAND, leadhub_env, scratch_database

MIGRATORS = 4
ROUNDS = 3


def heads(database: Database) -> list[str]:
    return sorted(ScriptDirectory.from_config(alembic_config(database.engine)).get_heads())


def versions(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def test_upgrade_says_whether_it_migrated(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        database = Database(url)
        try:
            first = upgrade(database.engine)
            assert first.applied
            assert first.before == ()
            assert list(first.after) == heads(database)
            assert first.describe() == (
                f"migrated the database schema from (empty) to {', '.join(heads(database))}"
            )
            again = upgrade(database.engine)
            assert not again.applied
            assert again.before == again.after == first.after
            assert again.describe() == (
                f"the database schema is up to date at {', '.join(heads(database))}"
            )
        finally:
            database.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(ROUNDS))
def test_migrators_started_at_once_migrate_a_fresh_database_once(
    tmp_path: Path, attempt: int
) -> None:
    with scratch_database(tmp_path) as url:
        env = leadhub_env({"LEADHUB_DATABASE_URL": url, "LEADHUB_DATA_DIR": str(tmp_path)})
        migrators = [
            subprocess.Popen(
                [LEADHUB_COMMAND, "migrate"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(MIGRATORS)
        ]
        outcomes = [
            (*migrator.communicate(timeout=180), migrator.returncode) for migrator in migrators
        ]
        for stdout, stderr, returncode in outcomes:
            assert returncode == 0, (attempt, stdout, stderr)
            assert "Traceback" not in stderr, stderr
            assert stdout.splitlines()[-1] == "database is up to date", stdout
        database = Database(url)
        try:
            assert versions(database) == heads(database)
            head = ", ".join(heads(database))
        finally:
            database.dispose()
        migrated = f"migrated the database schema from (empty) to {head}"
        said = [stdout for stdout, _, _ in outcomes]
        assert sum(migrated in stdout for stdout in said) == 1, said
