"""Schema migrations with Alembic, driven from code so `leadhub serve` and `migrate` share them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema up to `revision`; safe to run on every start."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the models (a developer command)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


def head_revisions() -> tuple[str, ...]:
    """The revisions this code's migrations end at."""
    return tuple(sorted(_scripts().get_heads()))


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions a database's schema is at (none before its first migration)."""
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def is_known_revision(revision: str) -> bool:
    """Whether this code's migrations include the revision (a newer LeadHub's are unknown)."""
    try:
        found = _scripts().get_revision(revision)
    except (CommandError, ResolutionError):
        return False
    # Exactly: Alembic also resolves a unique prefix of an id.
    return found is not None and found.revision == revision


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS_DIR))
