"""Safe retries: the rules of the Idempotency-Key.

A POST may carry a key. The first request with it does the work and its answer is recorded in the
same transaction as the work (`begin`, then `finish`): both commit together or neither does, so a
crash never leaves work without its record or a record without its work. For 24 hours, the same
request sent again with the key gets that answer back without the work being done again; another
request with the key is refused, since a key names one request.

Two requests with one key at the same moment: the first transaction to reach `begin` owns the key
until it ends (SQLite has one writer at a time; on PostgreSQL a transaction-level advisory lock on
the key says so without waiting); the other one is told `Busy`, waits for the end, then replays
the recorded answer, or does the work itself if the first failed and recorded nothing.

Why not an "in progress" row committed before the work, as some APIs keep: a request that died
at work would leave its key stuck until someone cleaned it up, and the work and its record could
disagree. Here no row exists until the answer does, and the unique index on the key's scope
remains the last guard: two records for one key cannot both commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from leadhub.db.locks import try_transaction_lock
from leadhub.domains.idempotency import repository as queries
from leadhub.domains.idempotency.repository import IdempotencyRepository
from leadhub.domains.idempotency.schemas import (
    Busy,
    Fresh,
    KeyScope,
    Outcome,
    Replay,
    StoredResponse,
)
from leadhub.errors import Invalid
from leadhub.kit.clock import utcnow
from leadhub.models import IdempotencyRecord

FIELD = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Refusals the very same request would meet again, so its retries get them too. Not 5xx (a retry
# may succeed), nor answers that depend on the moment: 401, 403 and 429 (met before the key is
# looked at), 402 (credits may be added) and 409 (the record's state may change).
STORED_CLIENT_ERRORS = frozenset({400, 404, 413, 415, 422})
PURGE_BATCH = 1000


def checked_key(raw: str) -> str:
    """The key as sent, when it is 1 to 255 printable ASCII characters."""
    if not raw or len(raw) > MAX_KEY_LENGTH or not all(" " <= char <= "~" for char in raw):
        message = f"The key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."
        raise Invalid({FIELD: [message]}, f"The Idempotency-Key header is invalid. {message}")
    return raw


def is_stored(status_code: int) -> bool:
    """Whether an answer with this status is recorded for the key's retries."""
    return 200 <= status_code < 300 or status_code in STORED_CLIENT_ERRORS


def begin(
    session: Session, scope: KeyScope, *, fingerprint: str, now: datetime | None = None
) -> Outcome:
    """Take the key for this transaction, or say what it already stands for.

    Invalid when the key answered another request (another body or query) in the last 24 hours.
    """
    now = now or utcnow()
    if not try_transaction_lock(session, f"idempotency:{scope.workspace_id}:{scope.digest}"):
        return Busy()
    repository = IdempotencyRepository(session, scope.workspace_id)
    found = repository.find(scope.digest)
    if found is None:
        return Fresh()
    if found.expires_at <= now:
        repository.remove(found.id)
        return Fresh()
    if found.fingerprint != fingerprint:
        raise Invalid(
            {FIELD: ["This key was already used for a different request."]},
            "This Idempotency-Key was already used for a different request (another body or "
            "query string); send a new key for a new request.",
        )
    headers = tuple((str(name), str(value)) for name, value in found.headers)
    return Replay(StoredResponse(found.status_code, headers, found.body))


def finish(
    session: Session,
    scope: KeyScope,
    *,
    fingerprint: str,
    response: StoredResponse,
    now: datetime | None = None,
) -> None:
    """Record the answer to the request that took the key, in the transaction of its work."""
    now = now or utcnow()
    record = IdempotencyRecord(
        scope_digest=scope.digest,
        actor=scope.actor,
        method=scope.method,
        path=scope.path,
        key=scope.key,
        fingerprint=fingerprint,
        status_code=response.status_code,
        headers=[list(pair) for pair in response.headers],
        body=response.body,
        created_at=now,
        expires_at=now + TTL,
    )
    IdempotencyRepository(session, scope.workspace_id).add(record)
    session.flush()


def record_refusal(
    session: Session,
    scope: KeyScope,
    *,
    fingerprint: str,
    response: StoredResponse,
    now: datetime | None = None,
) -> bool:
    """Record a refusal once its work is rolled back; answers whether it was recorded.

    The rollback ended the transaction that held the key, so another request with it may have
    taken it meanwhile: then that one's answer stands.
    """
    try:
        outcome = begin(session, scope, fingerprint=fingerprint, now=now)
    except Invalid:
        return False
    if not isinstance(outcome, Fresh):
        return False
    finish(session, scope, fingerprint=fingerprint, response=response, now=now)
    return True


def purge_expired(
    session: Session, *, now: datetime | None = None, limit: int = PURGE_BATCH
) -> int:
    """Delete up to `limit` records past their 24 hours; answers how many."""
    return queries.delete_expired(session, now=now or utcnow(), limit=limit)
