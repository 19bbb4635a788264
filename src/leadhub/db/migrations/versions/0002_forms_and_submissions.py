"""forms and submissions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 20:37:54.083936
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("is_duplicate", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("attribution", sa.JSON(), nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["forms.id"],
            name=op.f("fk_form_submissions_form_id_forms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_form_submissions_lead_id_leads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_form_submissions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_submissions_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_form_submissions_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_form_submissions_ws_form_created",
            ["workspace_id", "form_id", "created_at"],
            unique=False,
        )

    # Existing rows get defaults, and each a public key of its own.
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("fields", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("pipeline_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pipeline_stage_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("source", sa.String(length=50), nullable=False, server_default="form")
        )
        batch_op.add_column(
            sa.Column(
                "submit_label", sa.String(length=100), nullable=False, server_default="Submit"
            )
        )
        batch_op.add_column(sa.Column("success_message", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("redirect_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(
            sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("public_key", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_forms_pipeline_stage_id_pipeline_stages"),
            "pipeline_stages",
            ["pipeline_stage_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_forms_pipeline_id_pipelines"),
            "pipelines",
            ["pipeline_id"],
            ["id"],
            ondelete="SET NULL",
        )
    connection = op.get_bind()
    forms = sa.table("forms", sa.column("id", sa.Integer()), sa.column("public_key", sa.String()))
    for (form_id,) in connection.execute(sa.select(forms.c.id)).fetchall():
        key = "fk_" + secrets.token_urlsafe(18)
        connection.execute(forms.update().where(forms.c.id == form_id).values(public_key=key))
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.alter_column("public_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_forms_public_key"), ["public_key"])
        for column in ("fields", "tags", "source", "submit_label", "is_active"):
            batch_op.alter_column(column, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_forms_pipeline_id_pipelines"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_forms_pipeline_stage_id_pipeline_stages"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_forms_public_key"), type_="unique")
        batch_op.drop_column("public_key")
        batch_op.drop_column("is_active")
        batch_op.drop_column("redirect_url")
        batch_op.drop_column("success_message")
        batch_op.drop_column("submit_label")
        batch_op.drop_column("source")
        batch_op.drop_column("tags")
        batch_op.drop_column("pipeline_stage_id")
        batch_op.drop_column("pipeline_id")
        batch_op.drop_column("fields")
        batch_op.drop_column("description")

    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_form_submissions_ws_form_created")
        batch_op.drop_index(batch_op.f("ix_form_submissions_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_form_submissions_lead_id"))

    op.drop_table("form_submissions")
