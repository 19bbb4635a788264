"""Alembic environment: runs on the connection that leadhub.db.migrate hands it."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy.exc import SAWarning

import leadhub.models  # noqa: F401  (registers every table)
from leadhub.db.base import Base, is_modelled

# A batch migration on SQLite reflects the tables it copies, and reflection cannot read an
# index on an expression (tags' lower(name)); the copy leaves such an index as it is.
warnings.filterwarnings(
    "ignore", message="Skipped unsupported reflection of expression-based index", category=SAWarning
)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=lambda name, type_, _parents: type_ not in ("table", "index") or is_modelled(name),
)
with context.begin_transaction():
    context.run_migrations()
