"""An export of 100,000 rows streams: its memory is that of a 10,000-row export, not ten times."""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path

from leadhub.db.uow import Database
from leadhub.domains.exports import producing
from leadhub.domains.exports import service as exports
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.storage.local import LocalStore
from tests.exports.helpers import bulk_leads, set_cost
from tests.factories import Workspace

SMALL, LARGE = 10_000, 100_000


def peak_of_export(
    db: Database, workspace: Workspace, store: LocalStore, source: str | None
) -> tuple[int, int]:
    """(peak bytes allocated while writing the export, rows written)."""
    filters = LeadFilters(sources=[source] if source else [])
    with db.unit_of_work() as session:
        info = exports.create_export(session, workspace.principal(), filters=filters, enqueue=False)
    tracemalloc.start()
    try:
        finished = producing.produce(db, store, info.id)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert finished is not None
    return peak, finished.row_count


def test_a_large_export_does_not_use_more_memory_than_a_small_one(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    bulk_leads(db, workspace, SMALL, source="small", prefix="small")
    bulk_leads(db, workspace, LARGE - SMALL, source="large", prefix="large")
    set_cost(db, workspace, 0)
    store = LocalStore(tmp_path / "media")

    small_peak, small_rows = peak_of_export(db, workspace, store, "small")
    large_peak, large_rows = peak_of_export(db, workspace, store, None)

    assert (small_rows, large_rows) == (SMALL, LARGE)
    # Ten times the rows, about the same memory: one chunk of rows at a time.
    assert large_peak < small_peak * 1.5 + 2 * 1024 * 1024, (small_peak, large_peak)
    files = sorted((tmp_path / "media" / "exports").rglob("*.csv"), key=lambda p: p.stat().st_size)
    with files[-1].open(encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _row in csv.reader(handle)) == LARGE + 1
    assert io is not None
