"""SQLite never gives a deleted lead's id to a new lead: the largest id a deleted lead had is kept

On SQLite a table `lead_id_floor` (one row) holds the largest id any lead has had that is no
longer there, raised by a trigger on every delete; `leadhub.models.lead_ids` gives new leads ids
above it. It starts above every id the leads' events name, so no history already written attaches
to a new lead. PostgreSQL's sequence never gives an id twice: nothing to do there. Not a model:
`leadhub.db.base.UNMODELLED_PREFIXES` names it for autogenerate.

A later migration that rebuilds `leads` on SQLite drops the trigger with it and must create it
again (as the search triggers of 0016).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE lead_id_floor (id INTEGER NOT NULL)")
    op.execute(
        "INSERT INTO lead_id_floor (id) SELECT max("
        "coalesce((SELECT max(id) FROM leads), 0), "
        "coalesce((SELECT max(lead_id) FROM lead_events), 0))"
    )
    op.execute(
        "CREATE TRIGGER lead_id_floor_raise AFTER DELETE ON leads "
        "BEGIN UPDATE lead_id_floor SET id = old.id WHERE id < old.id; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS lead_id_floor_raise")
    op.execute("DROP TABLE IF EXISTS lead_id_floor")
