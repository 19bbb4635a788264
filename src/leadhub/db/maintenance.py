"""Keeping the query planner informed: fresh table statistics.

SQLite plans with the statistics ANALYZE writes (`sqlite_stat1`); without them it guesses from the
indexes' shapes, and on a large workspace it guesses wrong: a page's tags were looked up through
the workspace's index of every tag row (135 ms at a million leads) instead of the lead's own key
(0.1 ms). With an analysis limit, ANALYZE reads a sample of each index and costs a fraction of a
second at a million leads, so it runs when a node starts, after each import, and every hour.
PostgreSQL's autovacuum keeps its statistics by itself, but only a minute or more after a table has
grown: a bulk write that keeps querying the table it fills (an import looking up each batch's
duplicates) refreshes the statistics of those tables itself as they grow, or it plans its lookups
for the empty table it started with and reads the whole table for every batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Engine

log = logging.getLogger("leadhub.db")
# Rows sampled per index (SQLite's recommended order of magnitude for periodic runs).
ANALYSIS_LIMIT = 1000


def refresh_statistics(engine: Engine) -> bool:
    """Refresh the planner's statistics where the database does not itself; True if it ran."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")
    return True


def refresh_grown(engine: Engine, tables: Sequence[str]) -> None:
    """Refresh the statistics of tables a bulk write has just grown (on both databases)."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {table}")


def refresh_statistics_quietly(engine: Engine) -> None:
    """The same, for callers whose own work is done and must not fail because of it."""
    try:
        refresh_statistics(engine)
    except Exception:
        log.exception("could not refresh the database statistics")
