"""The models and the migrations agree: after `upgrade`, autogenerate finds nothing to do."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import leadhub.models  # noqa: F401  (registers every table)
from leadhub.db.base import Base, is_modelled
from leadhub.db.migrate import alembic_config
from leadhub.db.uow import Database

# SQLite cannot reflect expression indexes, so autogenerate skips this one there (with a warning);
# test_the_expression_index_exists checks it by name instead.
EXPRESSION_INDEXES = {"uq_tags_workspace_name"}


def _modelled(name: str | None, type_: str, _parents: Any) -> bool:
    return type_ not in ("table", "index") or is_modelled(name)


def differences(db: Database) -> list[Any]:
    with db.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": _modelled,
            },
        )
        found: list[Any] = compare_metadata(context, Base.metadata)
    return found


def test_the_migrations_build_exactly_the_models_schema(db: Database) -> None:
    assert differences(db) == []


def test_the_database_is_at_the_head_revision(db: Database) -> None:
    script = ScriptDirectory.from_config(alembic_config(db.engine))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(script.get_heads())
    assert len(script.get_heads()) == 1, "the migrations have several heads"


def test_every_model_table_exists(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_the_expression_index_exists(db: Database) -> None:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        names = set(connection.execute(text(query)).scalars())
    assert names >= EXPRESSION_INDEXES
