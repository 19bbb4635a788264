"""A lock on a name, held until the transaction ends, taken without waiting.

PostgreSQL locks rows, so two transactions may work on the same thing at once: a transaction-level
advisory lock on the name makes the second one see that the first is still at work, at once,
instead of blocking until it ends. SQLite has one writer at a time: a writing transaction already
holds the whole database, so the lock is always its own.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def try_transaction_lock(session: Session, name: str) -> bool:
    """Whether this transaction now holds the lock on `name` (False: another one holds it)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    held = session.scalar(select(func.pg_try_advisory_xact_lock(_lock_id(name))))
    return bool(held)


def _lock_id(name: str) -> int:
    """A signed 64-bit number for the name (PostgreSQL's advisory lock ids are bigints)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
