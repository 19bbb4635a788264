"""What the account services give: plain shapes every surface renders in its own words."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AccountRead(BaseModel):
    """The account as Leadsopedia shows it: the workspace, reached through its owner."""

    id: int
    public_id: str
    name: str
    address: str | None
    phone: str | None
    email: str | None  # the first active owner's
    company: str  # the workspace's name
    status: str  # active
    date_created: datetime


class KeyUsage(BaseModel):
    id: int
    name: str
    calls: int


class MonthUsage(BaseModel):
    month: str  # YYYY-MM
    calls: int


class UsageRead(BaseModel):
    """API calls this month (UTC) against the workspace's monthly quota."""

    month: str
    quota: int | None  # None: no limit
    calls: int
    remaining: int | None  # None: no limit
    resets_at: datetime  # the start of next month
    keys: list[KeyUsage]
    months: list[MonthUsage]  # the last 12 months, oldest first, this one included


class SearchRead(BaseModel):
    id: int
    type: str  # contacts | company | email
    query: str
    lead_count: int
    user_id: int | None
    api_key_id: int | None
    date_added: datetime
