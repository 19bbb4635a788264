"""Time an import of N generated rows: `python -m bench.imports [ROWS] [--database-url URL]`.

The file has names, an email and a phone per row (all unique), a company, a title, a city and two
tags; the import runs in this process as the job would (batches of 1,000, one commit each) into a
fresh workspace of a fresh SQLite database unless a URL is given.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from leadhub.auth.principal import Principal
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.imports import runner
from leadhub.domains.imports import service as imports
from leadhub.domains.imports.schemas import ImportOptions
from leadhub.domains.workspaces import service as workspaces
from leadhub.storage.local import LocalStore

HEADER = "First Name,Last Name,Email,Phone,Company,Title,City,Country,Tags"


def generate(rows: int) -> bytes:
    lines = [HEADER]
    lines += [
        f"First{n},Last{n},person{n}@example.com,+1415{n:07d},Company {n % 500},"
        f'Title {n % 20},City {n % 100},US,"t{n % 10}, s{n % 3}"'
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Timed:
    rows: int
    megabytes: float
    status: str
    created: int
    failed: int
    wall: float
    cpu: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.wall if self.wall else 0.0


def time_import(database: Database, rows: int, workdir: Path) -> Timed:
    """Import `rows` generated rows into a fresh workspace of a migrated database, timed."""
    store = LocalStore(workdir / "store")
    content = generate(rows)
    with database.unit_of_work() as session:
        workspace = workspaces.create(session, slug=f"bench-{uuid.uuid4().hex[:8]}")
        principal = Principal(workspace.id, workspace.slug, frozenset({"*"}))
        started = imports.create_import(
            session,
            principal,
            upload=io.BytesIO(content),
            filename="bench.csv",
            options=ImportOptions(),
            store=store,
            max_bytes=len(content) + 1,
            queue=False,
        )
    wall, cpu = time.perf_counter(), time.process_time()
    runner.run_import(database, store, workspace.id, started.id)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    with database.unit_of_work(write=False) as session:
        done = imports.get_import(session, principal, started.id)
    return Timed(
        rows, len(content) / 1e6, done.status, done.created_count, done.failed_count, wall, cpu
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int, nargs="?", default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="leadhub-bench-"))
    database = Database(args.database_url or f"sqlite:///{workdir / 'bench.db'}")
    upgrade(database.engine)
    done = time_import(database, args.rows, workdir)
    print(
        f"{done.rows} rows ({done.megabytes:.1f} MB): {done.status}, "
        f"{done.created} created, {done.failed} failed; "
        f"{done.wall:.1f} s wall, {done.cpu:.1f} s CPU ({done.rows_per_second:,.0f} rows/s)"
    )
    database.dispose()


if __name__ == "__main__":
    main()
