"""API keys: made once (the plaintext is shown only then), kept as a SHA-256 digest.

Keys are 256 bits of randomness, so a fast digest is as safe as a slow password hash here and
lets every request be verified with one indexed lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import ALL, UnknownScope, canonical_set
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.audit import service as audit
from leadhub.errors import Invalid, NotFound, Unauthorized
from leadhub.kit.clock import utcnow
from leadhub.kit.tokens import random_token, sha256_hex
from leadhub.models import ApiKey, Workspace

KEY_PREFIX = "lh_"
# The key's first characters after KEY_PREFIX, kept in clear to tell keys apart in lists.
PREFIX_CHARS = 8
DEFAULT_RATE_LIMIT = 1000
MAX_RATE_LIMIT = 1_000_000
# last_used_at is a hint for people, not an audit log: write it at most this often per key.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class CreatedKey:
    record: ApiKey
    plaintext: str


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    key_id: int
    rate_limit: int
    limiter_key: str
    last_used_at: datetime | None
    # The workspace's monthly quota of API calls across its keys; None is no limit.
    monthly_quota: int | None = None


def create(
    session: Session,
    workspace_id: int,
    *,
    name: str | None = None,
    scopes: list[str] | None = None,
    rate_limit: int | None = None,
    actor: Principal | None = None,
) -> CreatedKey:
    """Make a key for the workspace; no scopes means every scope (`*`). The activity notes
    `actor` (None: the system, the command line) as its maker."""
    errors: dict[str, list[str]] = {}
    try:
        granted = sorted(canonical_set(scopes)) if scopes else [ALL]
    except UnknownScope as exc:
        errors["scopes"] = [str(exc)]
        granted = []
    limit = DEFAULT_RATE_LIMIT if rate_limit is None else rate_limit
    if limit < 1:
        errors["rate_limit"] = ["The rate limit field must be at least 1."]
    if errors:
        raise Invalid(errors)
    plaintext = KEY_PREFIX + random_token(32)
    record = ScopedRepository(session, workspace_id).add(
        ApiKey(
            name=(name or "API key").strip()[:100],
            prefix=plaintext[: len(KEY_PREFIX) + PREFIX_CHARS],
            key_hash=sha256_hex(plaintext),
            scopes=granted,
            rate_limit=limit,
        )
    )
    session.flush()
    audit.record(
        session,
        workspace_id,
        actor,
        "api_key.created",
        target_type="api_key",
        target_id=record.id,
        details={"name": record.name, "scopes": granted, "rate_limit": limit},
    )
    return CreatedKey(record=record, plaintext=plaintext)


# Every API request runs this: built once, read as plain columns (no ORM object to load).
_KEY_LOOKUP = (
    select(
        ApiKey.id,
        ApiKey.workspace_id,
        ApiKey.scopes,
        ApiKey.rate_limit,
        ApiKey.revoked_at,
        ApiKey.expires_at,
        ApiKey.last_used_at,
        Workspace.slug,
        Workspace.api_monthly_quota,
    )
    .join(Workspace, Workspace.id == ApiKey.workspace_id)
    .where(ApiKey.key_hash == bindparam("digest"))
)


def authenticate(connection: Connection, raw_key: str | None) -> Authenticated:
    """The principal a presented key stands for; Unauthorized if it is missing, unknown or dead."""
    if not raw_key:
        raise Unauthorized()
    digest = sha256_hex(raw_key.strip())
    key = connection.execute(_KEY_LOOKUP, {"digest": digest}).first()
    if key is None:
        raise Unauthorized("Unauthenticated. The API key is invalid.")
    now = utcnow()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        raise Unauthorized("Unauthenticated. The API key has been revoked or has expired.")
    principal = Principal(
        workspace_id=key.workspace_id,
        workspace_slug=key.slug,
        scopes=frozenset(key.scopes),
        api_key_id=key.id,
    )
    return Authenticated(
        principal=principal,
        key_id=key.id,
        rate_limit=key.rate_limit,
        limiter_key=digest[:24],
        last_used_at=key.last_used_at,
        monthly_quota=key.api_monthly_quota,
    )


class ApiKeyRead(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    rate_limit: int
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def list_keys(session: Session, principal: Principal) -> list[ApiKeyRead]:
    """The workspace's keys, newest first (active and revoked; never the key itself)."""
    repo = ScopedRepository(session, principal.workspace_id)
    rows = session.scalars(repo.select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id.desc()))
    return [ApiKeyRead.model_validate(row, from_attributes=True) for row in rows]


def revoke(session: Session, principal: Principal, key_id: int) -> ApiKeyRead:
    """Revoke a key: it stops working at once."""
    principal.require_own_access()
    key = ScopedRepository(session, principal.workspace_id).get(ApiKey, key_id)
    if key is None:
        raise NotFound.of("API key")
    return _revoke(session, key, principal)


def revoke_presented(session: Session, presented: str) -> ApiKeyRead:
    """Revoke a key named by itself (`lh_…`) or by its prefix as the settings list it (the
    operator's command line): it stops working at once."""
    text = presented.strip()
    if len(text) > len(KEY_PREFIX) + PREFIX_CHARS:
        key = session.scalar(select(ApiKey).where(ApiKey.key_hash == sha256_hex(text)))
    else:
        found = list(session.scalars(select(ApiKey).where(ApiKey.prefix == text).limit(2)))
        if len(found) > 1:
            raise Invalid.field("key", "Several keys have this prefix; give the whole key.")
        key = found[0] if found else None
    if key is None:
        raise NotFound.of("API key")
    return _revoke(session, key, None)


def _revoke(session: Session, key: ApiKey, actor: Principal | None) -> ApiKeyRead:
    """Revoke once (audited once); a revoked key is answered as it is."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            key.workspace_id,
            actor,
            "api_key.revoked",
            target_type="api_key",
            target_id=key.id,
            details={"name": key.name},
        )
    return ApiKeyRead.model_validate(key, from_attributes=True)


def needs_touch(last_used_at: datetime | None) -> bool:
    return last_used_at is None or utcnow() - last_used_at >= LAST_USED_RESOLUTION


def touch(session: Session, key_id: int) -> None:
    """Record that the key was just used."""
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow()))


def create_key(
    session: Session, principal: Principal, *, name: str, scopes: list[str], rate_limit: int
) -> CreatedKey:
    """Make a key a person asked for: named, with the scopes picked (`*` for full access)."""
    principal.require_own_access()
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["The name field is required."]
    if not scopes:  # unlike the CLI, an empty pick is a mistake here, not a wish for everything
        errors["scopes"] = ["Pick at least one scope, or full access."]
    if not 1 <= rate_limit <= MAX_RATE_LIMIT:
        errors["rate_limit"] = [f"The rate limit must be between 1 and {MAX_RATE_LIMIT:,}."]
    if errors:
        raise Invalid(errors)
    granted = [ALL] if ALL in scopes else scopes
    return create(
        session,
        principal.workspace_id,
        name=name,
        scopes=granted,
        rate_limit=rate_limit,
        actor=principal,
    )
