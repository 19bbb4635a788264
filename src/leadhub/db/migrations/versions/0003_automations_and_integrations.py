"""automations and integrations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 20:44:19.102180
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "automations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("trigger", sa.JSON(), nullable=False),
        sa.Column("trigger_type", sa.String(length=32), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_automations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automations")),
    )
    with op.batch_alter_table("automations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_automations_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_automations_ws_trigger_active",
            ["workspace_id", "trigger_type", "is_active"],
            unique=False,
        )

    op.create_table(
        "integrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("secrets_encrypted", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_integrations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrations")),
    )
    with op.batch_alter_table("integrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_integrations_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index("ix_integrations_ws_type", ["workspace_id", "type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("integrations", schema=None) as batch_op:
        batch_op.drop_index("ix_integrations_ws_type")
        batch_op.drop_index(batch_op.f("ix_integrations_workspace_id"))

    op.drop_table("integrations")
    with op.batch_alter_table("automations", schema=None) as batch_op:
        batch_op.drop_index("ix_automations_ws_trigger_active")
        batch_op.drop_index(batch_op.f("ix_automations_workspace_id"))

    op.drop_table("automations")
