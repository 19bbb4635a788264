"""A lead's id is never given to another lead.

PostgreSQL's sequence never hands out an id twice. SQLite gives a new row the largest id in the
table plus one, so once the newest lead is deleted, the next lead would take its id, and with it
the deleted lead's history (events outlive their leads). SQLite's AUTOINCREMENT would prevent it,
but only a rebuild of `leads` could add it. Instead, on SQLite, `lead_id_floor` holds the largest
id a deleted lead had (a trigger keeps it, migration 0021), and new leads are given ids above
both it and every lead there is: one at a time by the ORM (before each flush), in blocks by the
import's bulk insert. SQLite has one writer at a time, so two transactions never take the same.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from leadhub.models.lead import Lead

FLOOR_TABLE = "lead_id_floor"
_NEXT = text(
    f"SELECT max(coalesce((SELECT max(id) FROM leads), 0), "
    f"coalesce((SELECT id FROM {FLOOR_TABLE}), 0)) + 1"
)


def reserve(session: Session, count: int) -> range | None:
    """`count` new lead ids, on SQLite; None where the database's sequence gives them."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    start = int(session.scalar(_NEXT) or 1)
    return range(start, start + count)


@event.listens_for(Session, "before_flush")
def _give_new_leads_their_ids(session: Session, _context: Any, _instances: Any) -> None:
    new = [row for row in session.new if isinstance(row, Lead) and row.id is None]
    if not new:
        return
    ids = reserve(session, len(new))
    if ids is None:
        return
    for lead, lead_id in zip(new, ids, strict=True):
        lead.id = lead_id
