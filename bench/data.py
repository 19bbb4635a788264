"""The bench database: one workspace per size (`bench-<size>`), an API key and a form for each,
and pools of real values (name, email and phone fragments, emails) the scenarios draw from.

Generating a million leads takes minutes, so a database whose workspaces already have the asked
sizes can be reused; keys and forms are made anew on every run (keys are stored hashed).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.generate import generate
from leadhub.auth.principal import Principal
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import FormCreate
from leadhub.models import Lead, Tag, User, Workspace

# Far above any run's request count: the limiter must never be what is measured.
RATE_LIMIT = 100_000_000
POOL_SIZE = 200
FRAGMENT_LENGTH = 4


@dataclass
class BenchWorkspace:
    id: int
    slug: str
    public_id: str
    size: int
    key: str
    form_id: int
    owner_ids: list[int]
    first_id: int
    last_id: int
    tag: str = "vip"
    tag_id: int = 0
    name_fragments: list[str] = field(default_factory=list)
    email_fragments: list[str] = field(default_factory=list)
    phone_fragments: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    created_after: datetime = field(default_factory=lambda: datetime.now(UTC))
    created_before: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Dataset:
    database_url: str
    workspaces: list[BenchWorkspace]
    generated_seconds: float
    reused: bool

    @property
    def main(self) -> BenchWorkspace:
        return self.workspaces[-1]


def slug_for(size: int) -> str:
    return f"bench-{size}"


def prepare(database_url: str, sizes: list[int], *, reuse: bool) -> Dataset:
    """The bench database with a workspace per size, generated unless it can be reused."""
    reused = reuse and _has_workspaces(database_url, sizes)
    if not reused:
        create_database(database_url)
    db = Database(database_url)
    try:
        upgrade(db.engine)
        seconds = 0.0
        if not reused:
            for size in sorted(sizes):
                seconds += generate(db, slug=slug_for(size), leads=size).seconds
            _analyze(db)
        workspaces = [_workspace(db, size) for size in sorted(sizes)]
    finally:
        db.dispose()
    return Dataset(database_url, workspaces, seconds, reused)


def sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def drop_database(database_url: str) -> None:
    """Remove the bench database (a file, or a PostgreSQL database)."""
    path = sqlite_path(database_url)
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def create_database(database_url: str) -> None:
    """A new, empty bench database (dropping one of the same name)."""
    drop_database(database_url)
    path = sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()


def _has_workspaces(database_url: str, sizes: list[int]) -> bool:
    path = sqlite_path(database_url)
    if path is not None and not path.exists():
        return False
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            found = set(
                connection.scalars(
                    select(Workspace.slug).where(Workspace.slug.in_([slug_for(s) for s in sizes]))
                )
            )
    except Exception:  # no database, or no schema yet: generate afresh
        return False
    finally:
        engine.dispose()
    return found == {slug_for(size) for size in sizes}


def _analyze(db: Database) -> None:
    # Fresh bulk-loaded tables: PostgreSQL's autovacuum would analyse them soon; do it now so
    # the first scenarios do not run on guessed statistics.
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def _workspace(db: Database, size: int) -> BenchWorkspace:
    slug = slug_for(size)
    with db.unit_of_work() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == slug)).one()
        key = apikeys.create(session, workspace.id, name="bench", rate_limit=RATE_LIMIT)
        principal = Principal(workspace.id, slug, frozenset({"*"}))
        form = forms.create_form(
            session,
            principal,
            data=FormCreate.model_validate(
                {
                    "name": f"Bench form {uuid.uuid4().hex[:6]}",
                    "fields": [
                        {"name": "first_name", "label": "First name"},
                        {"name": "email", "label": "Email", "type": "email", "required": True},
                    ],
                }
            ),
        )
        owners = list(
            session.scalars(
                select(User.id).where(User.workspace_id == workspace.id).order_by(User.id)
            )
        )
        first_id = session.scalar(
            select(func.min(Lead.id)).where(Lead.workspace_id == workspace.id)
        )
        tag_id = session.scalar(
            select(Tag.id).where(Tag.workspace_id == workspace.id, Tag.name == "vip")
        )
        found = BenchWorkspace(
            id=workspace.id,
            tag_id=int(tag_id or 0),
            slug=slug,
            public_id=workspace.public_id,
            size=size,
            key=key.plaintext,
            form_id=form.id,
            owner_ids=owners,
            # The generator gives each workspace contiguous ids; leads created later (by an
            # earlier run) may interleave with other workspaces' and are left out.
            first_id=int(first_id or 0),
            last_id=int(first_id or 0) + size - 1,
        )
        _fill_pools(session, found)
    return found


def _fill_pools(session: Session, workspace: BenchWorkspace) -> None:
    """Fragments cut from real rows, so every search finds something."""
    rng = random.Random(workspace.size)
    ids = [rng.randint(workspace.first_id, workspace.last_id) for _ in range(POOL_SIZE)]
    rows = session.execute(
        select(Lead.first_name, Lead.last_name, Lead.email, Lead.phone).where(
            Lead.workspace_id == workspace.id, Lead.id.in_(ids)
        )
    ).all()
    for first, last, email, phone in rows:
        name = rng.choice([first or "", last or ""])
        if name.isascii() and len(name) >= FRAGMENT_LENGTH:
            start = rng.randint(0, len(name) - FRAGMENT_LENGTH)
            workspace.name_fragments.append(name[start : start + FRAGMENT_LENGTH].lower())
        if email:
            workspace.emails.append(email)
            local = email.split("@")[0]
            start = rng.randint(max(0, len(local) - 10), max(0, len(local) - 6))
            workspace.email_fragments.append(local[start : start + 6])
        if phone:
            digits = phone.lstrip("+")
            start = rng.randint(len(digits) - 7, len(digits) - 6)
            workspace.phone_fragments.append(digits[start : start + 6])
    now = datetime.now(UTC)
    workspace.created_after = now - timedelta(days=400)
    workspace.created_before = now - timedelta(days=220)


def workspace_to_json(ws: BenchWorkspace) -> dict[str, Any]:
    found = asdict(ws)
    found["created_after"] = ws.created_after.isoformat()
    found["created_before"] = ws.created_before.isoformat()
    return found


def workspace_from_json(found: dict[str, Any]) -> BenchWorkspace:
    values = dict(found)
    values["created_after"] = datetime.fromisoformat(values["created_after"])
    values["created_before"] = datetime.fromisoformat(values["created_before"])
    return BenchWorkspace(**values)
