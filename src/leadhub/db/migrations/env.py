"""Alembic environment: runs on the connection that leadhub.db.migrate hands it."""

from __future__ import annotations

from alembic import context

import leadhub.models  # noqa: F401  (registers every table)
from leadhub.db.base import Base, is_modelled

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
