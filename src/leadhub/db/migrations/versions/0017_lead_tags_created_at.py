"""each tag row keeps its lead's creation time, indexed with the tag: a tag's leads in date order

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lead_tags", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lead_created_at", leadhub.db.types.UTCDateTime(), nullable=True)
        )
    op.execute(
        "UPDATE lead_tags SET lead_created_at = leads.created_at FROM leads"
        " WHERE leads.id = lead_tags.lead_id"
    )
    with op.batch_alter_table("lead_tags", schema=None) as batch_op:
        batch_op.alter_column(
            "lead_created_at", existing_type=leadhub.db.types.UTCDateTime(), nullable=False
        )
        batch_op.create_index(
            "ix_lead_tags_ws_tag_created",
            ["workspace_id", "tag_id", "lead_created_at", "lead_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("lead_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_tags_ws_tag_created")
        batch_op.drop_column("lead_created_at")
