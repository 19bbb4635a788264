"""API usage: calls per key per calendar month (UTC), against the workspace's monthly quota.

Nodes count calls in memory and add them here in batches (`add_calls`, an upsert that adds to
the stored count), so answering a request never writes to the database. Readers add what the
node has not written yet (`unflushed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.account.schemas import KeyUsage, MonthUsage, UsageRead
from leadhub.kit.clock import utcnow
from leadhub.models import ApiKey, ApiUsage, Workspace

HISTORY_MONTHS = 12
# (workspace id, key id, month) -> calls
Counts = Mapping[tuple[int, int, str], int]


def month_of(moment: datetime) -> str:
    """The calendar month (UTC) of a moment, as `YYYY-MM`."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def next_month_start(moment: datetime) -> datetime:
    """Midnight UTC on the first day of the month after `moment`'s."""
    moment = moment.astimezone(UTC)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def seconds_until_next_month(moment: datetime) -> int:
    return max(1, int((next_month_start(moment) - moment).total_seconds()))


def add_calls(session: Session, counts: Counts) -> None:
    """Add counted calls to the stored monthly counts (one upsert: `calls = calls + n`)."""
    rows = [
        {"workspace_id": workspace_id, "api_key_id": key_id, "month": month, "calls": calls}
        for (workspace_id, key_id, month), calls in sorted(counts.items())
        if calls > 0
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ApiUsage)
    statement = statement.on_conflict_do_update(
        index_elements=[ApiUsage.api_key_id, ApiUsage.month],
        set_={"calls": ApiUsage.calls + statement.excluded.calls},
    )
    # Sorted rows: concurrent flushes of several nodes lock the rows in the same order.
    session.execute(statement, rows)


def month_calls(session: Session, workspace_id: int, month: str) -> int:
    """The stored calls of every key of the workspace in a month."""
    repo = ScopedRepository(session, workspace_id)
    total = session.scalar(
        repo.select_columns(ApiUsage, func.coalesce(func.sum(ApiUsage.calls), 0)).where(
            ApiUsage.month == month
        )
    )
    return int(total or 0)


def quota_of(session: Session, workspace_id: int) -> int | None:
    """The workspace's monthly quota of API calls; None is no limit."""
    return session.scalar(select(Workspace.api_monthly_quota).where(Workspace.id == workspace_id))


def usage(
    session: Session,
    principal: Principal,
    *,
    unflushed: Mapping[int, int] | None = None,
    now: datetime | None = None,
) -> UsageRead:
    """This month's API calls per key and in all, the quota and what is left of it, and the
    last 12 months' totals. `unflushed` is this node's calls per key not stored yet."""
    moment = now or utcnow()
    month = month_of(moment)
    pending = dict(unflushed or {})
    keys = _key_calls(session, principal.workspace_id, month, pending)
    calls = sum(key.calls for key in keys)
    quota = quota_of(session, principal.workspace_id)
    return UsageRead(
        month=month,
        quota=quota,
        calls=calls,
        remaining=None if quota is None else max(0, quota - calls),
        resets_at=next_month_start(moment),
        keys=keys,
        months=_months(session, principal.workspace_id, moment, month, calls),
    )


def _key_calls(
    session: Session, workspace_id: int, month: str, pending: dict[int, int]
) -> list[KeyUsage]:
    """Every key of the workspace (revoked ones too) with its calls this month."""
    repo = ScopedRepository(session, workspace_id)
    stored: dict[int, int] = {
        key_id: calls
        for key_id, calls in session.execute(
            repo.select_columns(ApiUsage, ApiUsage.api_key_id, ApiUsage.calls).where(
                ApiUsage.month == month
            )
        )
    }
    keys = session.execute(
        repo.select_columns(ApiKey, ApiKey.id, ApiKey.name).order_by(ApiKey.id)
    ).all()
    return [
        KeyUsage(id=key_id, name=name, calls=stored.get(key_id, 0) + pending.get(key_id, 0))
        for key_id, name in keys
    ]


def _months(
    session: Session, workspace_id: int, moment: datetime, month: str, current: int
) -> list[MonthUsage]:
    names = _last_months(moment, HISTORY_MONTHS)
    repo = ScopedRepository(session, workspace_id)
    stored: dict[str, int] = {
        month: int(calls or 0)
        for month, calls in session.execute(
            repo.select_columns(ApiUsage, ApiUsage.month, func.sum(ApiUsage.calls))
            .where(ApiUsage.month.in_(names))
            .group_by(ApiUsage.month)
        )
    }
    return [
        MonthUsage(month=name, calls=current if name == month else int(stored.get(name) or 0))
        for name in names
    ]


def _last_months(moment: datetime, count: int) -> list[str]:
    """The `count` months up to `moment`'s, oldest first."""
    year, month = moment.astimezone(UTC).year, moment.astimezone(UTC).month
    names = []
    for _ in range(count):
        names.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(names))
