"""lead events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 21:11:45.742197
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("actor_type", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_lead_events_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_events")),
    )
    with op.batch_alter_table("lead_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_events_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_lead_events_ws_created", ["workspace_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_lead_events_ws_lead_created",
            ["workspace_id", "lead_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("lead_events", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_events_ws_lead_created")
        batch_op.drop_index("ix_lead_events_ws_created")
        batch_op.drop_index(batch_op.f("ix_lead_events_workspace_id"))

    op.drop_table("lead_events")
