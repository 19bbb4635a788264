"""What the user services take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from leadhub.auth.passwords import MIN_LENGTH
from leadhub.kit.types import Name, Text

Role = Literal["owner", "admin", "member"]


class UserFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name | None = Field(default=None, min_length=1, max_length=200)
    email: Text | None = Field(default=None, max_length=254)
    role: Role | None = None
    is_active: bool | None = None
    password: Text | None = Field(default=None, min_length=MIN_LENGTH, max_length=200)


class UserCreate(UserFields):
    """A new member; the password is write-only."""

    name: Name = Field(min_length=1, max_length=200)
    email: Text = Field(max_length=254)
    password: Text = Field(min_length=MIN_LENGTH, max_length=200)


class UserUpdate(UserFields):
    """Only the fields sent change; a workspace always keeps an active owner."""


class UserRead(BaseModel):
    id: int
    name: str
    email: str
    role: str
    is_active: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
