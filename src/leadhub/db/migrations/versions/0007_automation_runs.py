"""automation runs

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-21 22:06:03.049443
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "automation_cursors",
        sa.Column("automation_id", sa.Integer(), nullable=False),
        sa.Column("action_index", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["automation_id"],
            ["automations.id"],
            name=op.f("fk_automation_cursors_automation_id_automations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_automation_cursors_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "automation_id", "action_index", name=op.f("pk_automation_cursors")
        ),
    )
    with op.batch_alter_table("automation_cursors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_automation_cursors_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "automation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("automation_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("next_action", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["automation_id"],
            ["automations.id"],
            name=op.f("fk_automation_runs_automation_id_automations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_automation_runs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation_runs")),
    )
    with op.batch_alter_table("automation_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_automation_runs_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_automation_runs_ws_automation_created",
            ["workspace_id", "automation_id", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("automation_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_automation_runs_ws_automation_created")
        batch_op.drop_index(batch_op.f("ix_automation_runs_workspace_id"))

    op.drop_table("automation_runs")
    with op.batch_alter_table("automation_cursors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_automation_cursors_workspace_id"))

    op.drop_table("automation_cursors")
