"""Jobs written in a transaction are handed to the queue only when it commits.

The session remembers the ids of the jobs it enqueued; the Database hands them to its dispatcher
after a commit and forgets them after a rollback.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

_KEY = "leadhub.enqueued_jobs"


def remember(session: Session, job_id: int, delay_seconds: float) -> None:
    session.info.setdefault(_KEY, []).append((job_id, delay_seconds))


def take(session: Session) -> list[tuple[int, float]]:
    taken: list[tuple[int, float]] = session.info.pop(_KEY, [])
    return taken
