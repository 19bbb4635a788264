"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 20:30:22.399287
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import leadhub.db.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_agency", sa.Boolean(), nullable=False),
        sa.Column("default_region", sa.String(length=2), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("public_id", name=op.f("uq_workspaces_public_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_workspaces_slug")),
    )
    op.create_table(
        "agency_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_workspace_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("revoked_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_agency_grants_client_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_agency_grants_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_grants")),
    )
    with op.batch_alter_table("agency_grants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_grants_client_workspace_id"),
            ["client_workspace_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_agency_grants_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "uq_agency_grants_pair", ["workspace_id", "client_workspace_id"], unique=True
        )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("rate_limit", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("expires_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_api_keys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_keys_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "credit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=True),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_credit_entries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_entries")),
    )
    with op.batch_alter_table("credit_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_entries_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_credit_entries_ws_created", ["workspace_id", "created_at"], unique=False
        )

    op.create_table(
        "forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_forms_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forms")),
    )
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forms_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "pipelines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pipelines_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipelines")),
    )
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pipelines_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_tags_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
    )
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tags_workspace_id"), ["workspace_id"], unique=False)
    # Tag names are unique per workspace regardless of case.
    op.create_index(
        "uq_tags_workspace_name", "tags", ["workspace_id", sa.text("lower(name)")], unique=True
    )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", leadhub.db.types.UTCDateTime(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_users_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("uq_users_workspace_email", ["workspace_id", "email"], unique=True)

    op.create_table(
        "pipeline_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=True),
        sa.Column("color", sa.String(length=7), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipelines.id"],
            name=op.f("fk_pipeline_stages_pipeline_id_pipelines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pipeline_stages_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_stages")),
    )
    with op.batch_alter_table("pipeline_stages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pipeline_stages_pipeline_position", ["pipeline_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pipeline_stages_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=50), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=True),
        sa.Column("pipeline_stage_id", sa.Integer(), nullable=True),
        sa.Column("assigned_user_id", sa.Integer(), nullable=True),
        sa.Column("lead_score", sa.Integer(), nullable=False),
        sa.Column("starred", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("custom_fields", sa.JSON(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("unique_identifier", sa.String(length=255), nullable=True),
        sa.Column("form_id", sa.Integer(), nullable=True),
        sa.Column("gclid", sa.String(length=500), nullable=True),
        sa.Column("wbraid", sa.String(length=500), nullable=True),
        sa.Column("cid", sa.String(length=500), nullable=True),
        sa.Column("sid", sa.String(length=500), nullable=True),
        sa.Column("fbp", sa.String(length=500), nullable=True),
        sa.Column("fbc", sa.String(length=500), nullable=True),
        sa.Column("fbclid", sa.String(length=500), nullable=True),
        sa.Column("utm_source", sa.String(length=255), nullable=True),
        sa.Column("utm_medium", sa.String(length=255), nullable=True),
        sa.Column("utm_campaign", sa.String(length=255), nullable=True),
        sa.Column("utm_term", sa.String(length=255), nullable=True),
        sa.Column("utm_content", sa.String(length=255), nullable=True),
        sa.Column("referrer", sa.String(length=2000), nullable=True),
        sa.Column("landing_page", sa.String(length=2000), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", leadhub.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_user_id"],
            ["users.id"],
            name=op.f("fk_leads_assigned_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["form_id"], ["forms.id"], name=op.f("fk_leads_form_id_forms"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipelines.id"],
            name=op.f("fk_leads_pipeline_id_pipelines"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_stage_id"],
            ["pipeline_stages.id"],
            name=op.f("fk_leads_pipeline_stage_id_pipeline_stages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_leads_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leads_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(
            "ix_leads_ws_assigned", ["workspace_id", "assigned_user_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_leads_ws_created", ["workspace_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_leads_ws_first_name", ["workspace_id", "first_name"], unique=False
        )
        batch_op.create_index("ix_leads_ws_form", ["workspace_id", "form_id"], unique=False)
        batch_op.create_index("ix_leads_ws_last_name", ["workspace_id", "last_name"], unique=False)
        batch_op.create_index(
            "ix_leads_ws_pipeline", ["workspace_id", "pipeline_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_leads_ws_score", ["workspace_id", "lead_score"], unique=False)
        batch_op.create_index(
            "ix_leads_ws_source_created", ["workspace_id", "source", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_leads_ws_stage", ["workspace_id", "pipeline_stage_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_leads_ws_starred_created", ["workspace_id", "starred", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_leads_ws_status_created", ["workspace_id", "status", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_leads_ws_unique_identifier", ["workspace_id", "unique_identifier"], unique=False
        )
        batch_op.create_index("ix_leads_ws_updated", ["workspace_id", "updated_at"], unique=False)
        batch_op.create_index("uq_leads_workspace_email", ["workspace_id", "email"], unique=True)
        batch_op.create_index("uq_leads_workspace_phone", ["workspace_id", "phone"], unique=True)

    op.create_table(
        "lead_tags",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_tags_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_lead_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_lead_tags_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lead_id", "tag_id", name=op.f("pk_lead_tags")),
    )
    with op.batch_alter_table("lead_tags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_tags_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_lead_tags_ws_tag_lead", ["workspace_id", "tag_id", "lead_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lead_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_tags_ws_tag_lead")
        batch_op.drop_index(batch_op.f("ix_lead_tags_workspace_id"))

    op.drop_table("lead_tags")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("uq_leads_workspace_phone")
        batch_op.drop_index("uq_leads_workspace_email")
        batch_op.drop_index("ix_leads_ws_updated")
        batch_op.drop_index("ix_leads_ws_unique_identifier")
        batch_op.drop_index("ix_leads_ws_status_created")
        batch_op.drop_index("ix_leads_ws_starred_created")
        batch_op.drop_index("ix_leads_ws_stage")
        batch_op.drop_index("ix_leads_ws_source_created")
        batch_op.drop_index("ix_leads_ws_score")
        batch_op.drop_index("ix_leads_ws_pipeline")
        batch_op.drop_index("ix_leads_ws_last_name")
        batch_op.drop_index("ix_leads_ws_form")
        batch_op.drop_index("ix_leads_ws_first_name")
        batch_op.drop_index("ix_leads_ws_created")
        batch_op.drop_index("ix_leads_ws_assigned")
        batch_op.drop_index(batch_op.f("ix_leads_workspace_id"))

    op.drop_table("leads")
    with op.batch_alter_table("pipeline_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pipeline_stages_workspace_id"))
        batch_op.drop_index("ix_pipeline_stages_pipeline_position")

    op.drop_table("pipeline_stages")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("uq_users_workspace_email")
        batch_op.drop_index(batch_op.f("ix_users_workspace_id"))

    op.drop_table("users")
    op.drop_index("uq_tags_workspace_name", table_name="tags")
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tags_workspace_id"))

    op.drop_table("tags")
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pipelines_workspace_id"))

    op.drop_table("pipelines")
    with op.batch_alter_table("forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forms_workspace_id"))

    op.drop_table("forms")
    with op.batch_alter_table("credit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_entries_ws_created")
        batch_op.drop_index(batch_op.f("ix_credit_entries_workspace_id"))

    op.drop_table("credit_entries")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_workspace_id"))

    op.drop_table("api_keys")
    with op.batch_alter_table("agency_grants", schema=None) as batch_op:
        batch_op.drop_index("uq_agency_grants_pair")
        batch_op.drop_index(batch_op.f("ix_agency_grants_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_agency_grants_client_workspace_id"))

    op.drop_table("agency_grants")
    op.drop_table("workspaces")
