"""a trigram index for searching leads by a fragment of their name, company, email or phone

SQLite: an FTS5 table with the trigram tokenizer over the leads' columns (external content: the
text stays in `leads`), kept by triggers. PostgreSQL: pg_trgm and a GIN index on the same columns
joined by spaces. Neither is a model: `leadhub.db.base.UNMODELLED` names them for autogenerate.

A later migration that rebuilds `leads` on SQLite (batch mode copies the table) drops these
triggers with it and must create them again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-22 06:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = ("first_name", "last_name", "email", "phone", "company")
# Must stay the expression `leadhub.domains.leads.search` queries, or PostgreSQL ignores the index.
PG_EXPRESSION = "lower(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in COLUMNS) + ")"


def _values(prefix: str) -> str:
    return ", ".join(f"{prefix}.{column}" for column in COLUMNS)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            f"CREATE INDEX ix_leads_search_trgm ON leads USING gin (({PG_EXPRESSION}) gin_trgm_ops)"
        )
        return
    names = ", ".join(COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE leads_search USING fts5({names}, content='leads', "
        "content_rowid='id', tokenize='trigram')"
    )
    insert_new = f"INSERT INTO leads_search(rowid, {names}) VALUES (new.id, {_values('new')});"
    delete_old = (
        f"INSERT INTO leads_search(leads_search, rowid, {names}) "
        f"VALUES ('delete', old.id, {_values('old')});"
    )
    op.execute(f"CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN {insert_new} END")
    op.execute(f"CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN {delete_old} END")
    op.execute(
        f"CREATE TRIGGER leads_search_update AFTER UPDATE OF {names} ON leads "
        f"BEGIN {delete_old} {insert_new} END"
    )
    op.execute("INSERT INTO leads_search(leads_search) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_leads_search_trgm")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS leads_search_{trigger}")
    op.execute("DROP TABLE IF EXISTS leads_search")
