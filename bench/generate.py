"""Load N realistic leads into a fresh workspace with bulk inserts (not the API):
`python -m bench.generate [LEADS] [--database-url URL] [--slug SLUG]`.

Names, companies and domains come from small pools drawn once, and are combined at random, so a
million rows cost a few seconds of Python; emails and phones carry the row number, so they are
unique as the database requires. Leads have a source, a status, 0 to 5 tags, a pipeline stage, an
owner, attribution for some, and a creation time spread over two years.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text

from leadhub.db.maintenance import refresh_statistics
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.workspaces import service as workspaces
from leadhub.models import Lead, LeadTag, PipelineStage, Tag, User

FIRST_NAMES = [
    "Ann",
    "Bob",
    "Carla",
    "Dan",
    "Eva",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Kira",
    "Liam",
    "Mona",
    "Nils",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoe",
    "Ada",
    "Ben",
    "Chloe",
    "Diego",
    "Elena",
    "Femi",
    "Gita",
    "Hiro",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marco",
    "Nora",
    "Oscar",
    "Paula",
    "Raj",
    "Sofia",
    "Theo",
    "Ulla",
    "Vera",
    "Will",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Garcia",
    "Müller",
    "Rossi",
    "Dubois",
    "Kim",
    "Nguyen",
    "Patel",
    "Silva",
    "Cohen",
    "Novak",
    "Larsen",
    "Okafor",
    "Tanaka",
    "Ivanova",
    "Brown",
    "Wilson",
    "Moreau",
    "Schmidt",
    "Costa",
    "Haddad",
    "Andersson",
    "Kowalski",
    "Yilmaz",
    "Fischer",
    "Bianchi",
    "Santos",
    "Murphy",
    "Walsh",
    "Lindqvist",
    "Horvat",
    "Petrov",
    "Sato",
    "Chen",
    "Singh",
    "Ahmed",
    "Lopez",
    "Martin",
    "Bernard",
]
COMPANY_WORDS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Aperture",
    "Massive",
    "Dynamic",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Litware",
    "Tailspin",
    "Proseware",
    "Adatum",
]
COMPANY_SUFFIXES = ("Ltd", "GmbH", "Inc", "LLC", "SA", "BV", "Group", "Labs", "Partners")
# Domains the API accepts (".test" is reserved, so such leads could never be updated).
DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com", "corp.example.org")
SOURCES = ("api", "form", "facebook", "google", "import", "manual", "webhook", "leadtrackr")
STATUSES = ("new", "contacted", "qualified", "proposal", "won", "lost")
CITIES = ("Berlin", "Paris", "Lisbon", "Austin", "Toronto", "Lagos", "Osaka", "Sydney", "Oslo")
TAG_NAMES = ("vip", "hot", "cold", "newsletter", "webinar", "partner", "trial", "enterprise")
BATCH = 5_000
BULK_CACHE_KIB = 256 * 1024
LEADS = cast(Table, Lead.__table__)
LEAD_TAGS = cast(Table, LeadTag.__table__)
SPREAD = timedelta(days=730)


@dataclass(frozen=True)
class Generated:
    workspace_id: int
    workspace_slug: str
    leads: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.leads / self.seconds if self.seconds else 0.0


def generate(db: Database, *, slug: str, leads: int, seed: int = 7) -> Generated:
    """A new workspace `slug` with `leads` leads, users, tags and its default pipeline."""
    started = time.perf_counter()
    with db.unit_of_work() as session:
        workspace = workspaces.create(session, slug=slug, name=f"Bench {slug}")
        workspace_id = workspace.id
        owners = _users(session, workspace_id)
        tag_ids = _tags(session, workspace_id)
        stage_rows = session.execute(
            select(PipelineStage.pipeline_id, PipelineStage.id).where(
                PipelineStage.workspace_id == workspace_id
            )
        )
        stages = [(int(pipeline_id), int(stage_id)) for pipeline_id, stage_id in stage_rows]
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    # Ids are given, not returned: plain executemany is the fast path on both databases.
    with db.unit_of_work(write=False) as session:
        next_id = int(session.scalar(select(func.coalesce(func.max(Lead.id), 0))) or 0) + 1
    for first in range(0, leads, BATCH):
        count = min(BATCH, leads - first)
        rows = [
            _lead(rng, workspace_id, number, now, owners, stages)
            for number in range(first, first + count)
        ]
        ids = list(range(next_id + first, next_id + first + count))
        for row, lead_id in zip(rows, ids, strict=True):
            row["id"] = lead_id
        with db.unit_of_work() as session:
            _large_cache(session)
            session.execute(insert(LEADS), rows)
            tagged = list(_tag_rows(rng, workspace_id, rows, tag_ids))
            if tagged:
                session.execute(insert(LEAD_TAGS), tagged)
    _advance_sequence(db)
    refresh_statistics(db.engine)
    return Generated(workspace_id, slug, leads, time.perf_counter() - started)


def _large_cache(session: Any) -> None:
    """Give SQLite a page cache of 256 MB for the bulk insert (2 MB by default): the unique and
    search indexes are written at random places, and a small cache rereads their pages from the
    file for every batch (twice the time at a million leads)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA cache_size=-{BULK_CACHE_KIB}"))


def _advance_sequence(db: Database) -> None:
    """PostgreSQL's id sequence must move past the ids given here."""
    if db.engine.dialect.name == "postgresql":
        with db.unit_of_work() as session:
            session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('leads', 'id'),"
                    " (SELECT max(id) FROM leads))"
                )
            )


def _users(session: Any, workspace_id: int) -> list[int]:
    users = [
        User(
            workspace_id=workspace_id,
            name=f"Owner {number}",
            email=f"owner{number}@bench.test",
            role="member",
        )
        for number in range(5)
    ]
    session.add_all(users)
    session.flush()
    return [user.id for user in users]


def _tags(session: Any, workspace_id: int) -> list[int]:
    tags = [Tag(workspace_id=workspace_id, name=name) for name in TAG_NAMES]
    session.add_all(tags)
    session.flush()
    return [tag.id for tag in tags]


def _lead(
    rng: random.Random,
    workspace_id: int,
    number: int,
    now: datetime,
    owners: list[int],
    stages: list[tuple[int, int]],
) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    created = now - SPREAD * rng.random()
    pipeline_id, stage_id = rng.choice(stages) if stages and rng.random() < 0.7 else (None, None)
    paid = rng.random() < 0.3
    return {
        "workspace_id": workspace_id,
        "first_name": first,
        "last_name": last,
        "email": f"{first.lower()}.{last.lower()}.{number}@{rng.choice(DOMAINS)}",
        "phone": f"+1415{number:07d}",
        "company": f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}",
        "job_title": rng.choice(("CEO", "CTO", "Head of Sales", "Buyer", "Founder", None)),
        "city": rng.choice(CITIES),
        "source": rng.choice(SOURCES),
        "status": rng.choice(STATUSES),
        "pipeline_id": pipeline_id,
        "pipeline_stage_id": stage_id,
        "assigned_user_id": rng.choice(owners) if rng.random() < 0.6 else None,
        "lead_score": rng.randint(0, 100),
        "starred": rng.random() < 0.05,
        "custom_fields": {},
        "gclid": f"Cj0K{number:x}" if paid and rng.random() < 0.5 else None,
        "fbclid": f"IwAR{number:x}" if paid and rng.random() < 0.5 else None,
        "utm_source": rng.choice(("google", "facebook", "newsletter")) if paid else None,
        "utm_campaign": f"campaign-{rng.randint(1, 40)}" if paid else None,
        "created_at": created,
        "updated_at": created,
    }


def _tag_rows(
    rng: random.Random, workspace_id: int, leads: list[dict[str, Any]], tag_ids: list[int]
) -> Iterator[dict[str, Any]]:
    for lead in leads:
        for tag_id in rng.sample(tag_ids, rng.randint(0, 5)):
            yield {
                "workspace_id": workspace_id,
                "lead_id": lead["id"],
                "tag_id": tag_id,
                "lead_created_at": lead["created_at"],
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("leads", type=int, nargs="?", default=100_000)
    parser.add_argument("--database-url", default="sqlite:///bench-data/leadhub.db")
    parser.add_argument("--slug", default="bench")
    options = parser.parse_args()
    if options.database_url.startswith("sqlite:///"):
        Path(options.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    db = Database(options.database_url)
    upgrade(db.engine)
    done = generate(db, slug=options.slug, leads=options.leads)
    print(
        f"{done.leads:,} leads in workspace {done.workspace_slug!r} in {done.seconds:.1f} s "
        f"({done.rows_per_second:,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
