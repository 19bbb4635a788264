"""Schema migrations with Alembic, driven from code so `leadhub serve` and `migrate` share them.

Every node migrates when it starts, so several processes (two `leadhub serve` and a `leadhub
worker` started together) may upgrade one database at once. Each upgrade runs in one transaction
that first takes a lock only migrators take: a PostgreSQL advisory lock held until the commit, or
SQLite's write lock (BEGIN IMMEDIATE). The others wait for it, then read the version the first one
committed and find nothing left to do, instead of racing to create the same tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The advisory lock's key: any 64-bit constant, the same in every LeadHub process (advisory locks
# are scoped to one database: deployments on other databases of the server never wait for it).
MIGRATION_LOCK_KEY = 0x6C65616468756221  # "leadhub!"


@dataclass(frozen=True)
class Migrated:
    """The schema's revisions before and after an upgrade (empty: a database without a schema)."""

    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def applied(self) -> bool:
        """Whether this upgrade changed the schema (another process may have done it first)."""
        return self.before != self.after

    def describe(self) -> str:
        after = _revisions(self.after)
        if self.applied:
            return f"migrated the database schema from {_revisions(self.before)} to {after}"
        return f"the database schema is up to date at {after}"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> Migrated:
    """Bring the schema up to `revision`; safe to run on every start, from any number of
    processes at once (one migrates, the others wait and find it done)."""
    config = alembic_config(engine)
    with _migration_transaction(engine) as connection:
        config.attributes["connection"] = connection
        before = current_revisions(connection)
        command.upgrade(config, revision)
        after = current_revisions(connection)
    return Migrated(before=before, after=after)


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions the database is at, sorted (none for an empty database)."""
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the models (a developer command)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


def head_revisions() -> tuple[str, ...]:
    """The revisions this code's migrations end at."""
    return tuple(sorted(_scripts().get_heads()))


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


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that holds the migrators' lock from its first statement to its end."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        # The write lock at BEGIN, waited for up to the busy timeout. A deferred transaction
        # reads the version first and fails at once ("database is locked") when it then needs to
        # write while another migrator holds the lock.
        with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
            yield connection
        return
    with engine.begin() as connection:
        if dialect == "postgresql":
            # Released by the commit or rollback: a migrator that dies frees it with its session.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        yield connection


def _revisions(revisions: tuple[str, ...]) -> str:
    return ", ".join(revisions) if revisions else "(empty)"
