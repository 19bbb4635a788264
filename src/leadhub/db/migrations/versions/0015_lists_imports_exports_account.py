"""lists and their members, imports, exports, the audit log, search history and API usage;
leads get city, state, region and country; workspaces an API quota and an export credit cost

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-22 02:45:01.642674
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("actor_type", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=254), nullable=True),
        sa.Column("target_type", sa.String(length=30), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_audit_entries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_entries_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_entries_ws_created", ["workspace_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "lead_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_lead_lists_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_lists")),
    )
    with op.batch_alter_table("lead_lists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_lists_workspace_id"), ["workspace_id"], unique=False
        )
    # List names are unique per workspace regardless of case.
    op.create_index(
        "uq_lead_lists_workspace_name",
        "lead_lists",
        ["workspace_id", sa.text("lower(name)")],
        unique=True,
    )

    op.create_table(
        "api_usage",
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_api_usage_api_key_id_api_keys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_api_usage_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_key_id", "month", name=op.f("pk_api_usage")),
    )
    with op.batch_alter_table("api_usage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_usage_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "lead_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("extension", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("credits_spent", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=400), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_lead_exports_api_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["lead_lists.id"],
            name=op.f("fk_lead_exports_list_id_lead_lists"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_lead_exports_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_lead_exports_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_exports")),
        sa.UniqueConstraint("uuid", name=op.f("uq_lead_exports_uuid")),
    )
    with op.batch_alter_table("lead_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_exports_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_lead_exports_ws_created", ["workspace_id", "created_at"], unique=False
        )

    op.create_table(
        "lead_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("file_key", sa.String(length=400), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("on_duplicate", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=True),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("finished_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_lead_imports_api_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["lead_lists.id"],
            name=op.f("fk_lead_imports_list_id_lead_lists"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_lead_imports_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_lead_imports_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_imports")),
    )
    with op.batch_alter_table("lead_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_imports_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_lead_imports_ws_created", ["workspace_id", "created_at"], unique=False
        )

    op.create_table(
        "search_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("lead_count", sa.Integer(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_search_history_api_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_search_history_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_search_history_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_history")),
    )
    with op.batch_alter_table("search_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_history_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_search_history_ws_created", ["workspace_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "list_members",
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("added_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_list_members_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["lead_lists.id"],
            name=op.f("fk_list_members_list_id_lead_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_list_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("list_id", "lead_id", name=op.f("pk_list_members")),
    )
    with op.batch_alter_table("list_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_list_members_list_added", ["list_id", "added_at", "lead_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_list_members_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index("ix_list_members_ws_lead", ["workspace_id", "lead_id"], unique=False)

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("state", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("country", sa.String(length=100), nullable=True))

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("api_monthly_quota", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("export_credit_cost", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("address", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("address")
        batch_op.drop_column("export_credit_cost")
        batch_op.drop_column("api_monthly_quota")

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("country")
        batch_op.drop_column("region")
        batch_op.drop_column("state")
        batch_op.drop_column("city")

    with op.batch_alter_table("list_members", schema=None) as batch_op:
        batch_op.drop_index("ix_list_members_ws_lead")
        batch_op.drop_index(batch_op.f("ix_list_members_workspace_id"))
        batch_op.drop_index("ix_list_members_list_added")

    op.drop_table("list_members")
    with op.batch_alter_table("search_history", schema=None) as batch_op:
        batch_op.drop_index("ix_search_history_ws_created")
        batch_op.drop_index(batch_op.f("ix_search_history_workspace_id"))

    op.drop_table("search_history")
    with op.batch_alter_table("lead_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_imports_ws_created")
        batch_op.drop_index(batch_op.f("ix_lead_imports_workspace_id"))

    op.drop_table("lead_imports")
    with op.batch_alter_table("lead_exports", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_exports_ws_created")
        batch_op.drop_index(batch_op.f("ix_lead_exports_workspace_id"))

    op.drop_table("lead_exports")
    with op.batch_alter_table("api_usage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_usage_workspace_id"))

    op.drop_table("api_usage")
    op.drop_index("uq_lead_lists_workspace_name", table_name="lead_lists")
    with op.batch_alter_table("lead_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_lists_workspace_id"))

    op.drop_table("lead_lists")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_ws_created")
        batch_op.drop_index(batch_op.f("ix_audit_entries_workspace_id"))

    op.drop_table("audit_entries")
