from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadhub.db.base import Base, SetUpThroughGrant, Timestamps, WorkspaceOwned


class Integration(SetUpThroughGrant, WorkspaceOwned, Timestamps, Base):
    """A connection to another service: plain settings, and its secrets encrypted at rest."""

    __tablename__ = "integrations"
    __table_args__ = (Index("ix_integrations_ws_type", "workspace_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A Fernet token of the JSON object of secret settings (leadhub.kit.crypto.SecretBox).
    secrets_encrypted: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
