"""Batch work, each in its own process so its memory figures are its own: an import of N CSV
rows, and exports of a workspace's leads to CSV and XLSX through LeadHub's export code.

`python -m bench.batch import|export ...` prints one JSON line: rows, seconds, rows/s, the RSS
when the work started, the peak RSS (VmHWM) and the growth between them, in MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from bench.data import create_database, drop_database, sqlite_path
from bench.imports import time_import
from bench.machine import REPOSITORY
from leadhub.auth.principal import Principal
from leadhub.auth.scopes import ALL
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.exports import producing
from leadhub.domains.exports import service as exports
from leadhub.domains.exports.tasks import scratch_dir
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.models import Workspace
from leadhub.storage.local import LocalStore


def run(*args: str) -> dict[str, Any]:
    """`python -m bench.batch ARGS` in a fresh process; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.batch", *args],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.batch {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _measured(rows: int, seconds: float, rss_start_kb: int, **extra: Any) -> dict[str, Any]:
    peak = _memory_kb("VmHWM")
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds, 1) if seconds else 0.0,
        "rss_start_mb": round(rss_start_kb / 1024, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_growth_mb": round((peak - rss_start_kb) / 1024, 1),
        **extra,
    }


def _import(database_url: str, rows: int) -> dict[str, Any]:
    """Into a fresh database beside the bench one (a temp file, or a temp PostgreSQL database)."""
    with tempfile.TemporaryDirectory(prefix="leadhub-bench-import-") as workdir:
        if sqlite_path(database_url) is not None:
            url = f"sqlite:///{Path(workdir) / 'import.db'}"
        else:
            name = f"leadhub_bench_import_{uuid.uuid4().hex[:8]}"
            url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
            create_database(url)
        database = Database(url)
        try:
            upgrade(database.engine)
            rss_start = _memory_kb("VmRSS")
            done = time_import(database, rows, Path(workdir))
        finally:
            database.dispose()
            if sqlite_path(url) is None:
                drop_database(url)
    return _measured(
        rows, done.wall, rss_start, created=done.created, failed=done.failed, status=done.status
    )


def _export(database_url: str, slug: str, format_: str) -> dict[str, Any]:
    database = Database(database_url)
    with tempfile.TemporaryDirectory(prefix="leadhub-bench-export-") as workdir:
        store = LocalStore(Path(workdir) / "store")
        with database.unit_of_work() as session:
            workspace = session.scalars(select(Workspace).where(Workspace.slug == slug)).one()
            # Exports spend credits; the bench measures the writing, so they are free here.
            session.execute(
                update(Workspace).where(Workspace.id == workspace.id).values(export_credit_cost=0)
            )
            principal = Principal(workspace.id, slug, frozenset({ALL}))
            created = exports.create_export(
                session, principal, filters=LeadFilters(), format=format_, enqueue=False
            )
        output = Path(workdir) / f"leads.{format_}"
        rss_start = _memory_kb("VmRSS")
        started = time.perf_counter()
        done = producing.produce(
            database, store, created.id, output=output, scratch=scratch_dir(store)
        )
        seconds = time.perf_counter() - started
        size = output.stat().st_size if output.exists() else 0
    database.dispose()
    rows = done.row_count if done is not None else 0
    return _measured(rows, seconds, rss_start, file_mb=round(size / 1e6, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("work", choices=("import", "export"))
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--slug")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    options = parser.parse_args()
    if options.work == "import":
        answer = _import(options.database_url, options.rows)
    else:
        answer = _export(options.database_url, options.slug, options.format)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
