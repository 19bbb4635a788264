"""The floor: each scenario's question put straight to the database, without LeadHub.

The same filter, order, limit and offset the lead repository issues (an exact count, the page,
the page's tags); search uses the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) as the
target design does. `Floor` answers with the JSON-ready rows, so the Starlette floor app serves
exactly what is timed here.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

from bench.data import BenchWorkspace, sqlite_path
from bench.driver import WARMUP_SECONDS, Stats, Window
from bench.scenarios import LEADTRACKR_LIMIT, NEWEST_FIRST, PER_PAGE, Scenario, list_filters
from leadhub.domains.leads.search import MANY_MATCHES

FTS_TABLE = "leads_search"
FLOOR_FTS_TABLE = "bench_floor_search"
SEARCH_COLUMNS = ("first_name", "last_name", "email", "phone", "company")
# The text PostgreSQL's trigram index covers (migration 0016): the planner uses the index only
# for this very expression.
PG_SEARCH_TEXT = "lower(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCH_COLUMNS) + ")"


class Floor:
    """One connection to the bench database, answering scenarios with plain SQL."""

    def __init__(self, database_url: str, ws: BenchWorkspace, search_table: str) -> None:
        self.ws, self.search_table = ws, search_table
        self.filters = list_filters(ws)
        path = sqlite_path(database_url)
        self.sqlite = path is not None
        if path is not None:
            # The app's pragmas (leadhub.db.engine); autocommit: each INSERT commits alone.
            self.connection: Any = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False
            )
            self.connection.row_factory = sqlite3.Row
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", "synchronous=NORMAL"):
                self.connection.execute(f"PRAGMA {pragma}")
        else:
            import psycopg
            from psycopg.rows import dict_row

            self.connection = psycopg.connect(
                _libpq_url(database_url), autocommit=True, row_factory=dict_row
            )

    def close(self) -> None:
        self.connection.close()

    def answer(self, scenario: Scenario, args: dict[str, Any]) -> dict[str, Any]:
        kind = scenario.kind
        if kind in ("list", "leadtrackr"):
            chosen = self.filters[args["filter"]]
            limit = LEADTRACKR_LIMIT if kind == "leadtrackr" else PER_PAGE
            count = (chosen.count_sql, chosen.count_params) if chosen.count_sql else None
            page = int(args["page"])
            if chosen.page_ids_sql and kind == "list":
                ids = f"id IN ({chosen.page_ids_sql} LIMIT ? OFFSET ?)"
                offset = (page - 1) * limit
                values = [*chosen.page_ids_params, limit, offset]
                return self._page([ids], values, chosen.order, page, limit, count, paged=True)
            return self._page(chosen.conditions, chosen.params, chosen.order, page, limit, count)
        if kind == "search":
            condition, params = self._search(str(args["fragment"]))
            walk = condition.replace("id IN", "id + 0 IN", 1) if self.sqlite else condition
            return self._page([condition], params, NEWEST_FIRST, 1, PER_PAGE, many=[walk])
        if kind == "get":
            rows = self._rows(
                "SELECT * FROM leads WHERE workspace_id = ? AND id = ?", [self.ws.id, args["id"]]
            )
            return {"data": self._tagged(rows)}
        if kind == "duplicate":
            rows = self._rows(
                "SELECT * FROM leads WHERE workspace_id = ? AND email = ?",
                [self.ws.id, args["email"]],
            )
            return {"data": rows}
        if kind == "insert":
            return {"data": {"id": self._insert(args)}}
        raise ValueError(f"no floor for {scenario.name}")

    # -- queries ----------------------------------------------------------------------------

    def _page(
        self,
        conditions: list[str],
        params: list[Any],
        order: str,
        page: int,
        limit: int,
        count: tuple[str, list[Any]] | None = None,
        many: list[str] | None = None,
        paged: bool = False,
    ) -> dict[str, Any]:
        where = " AND ".join(["workspace_id = ?", *conditions])
        values = [self.ws.id, *params]
        count_sql, count_params = count or (
            f"SELECT count(*) AS n FROM leads WHERE {where}",
            values,
        )
        total = self._rows(count_sql, count_params)[0]["n"]
        if many is not None and total >= MANY_MATCHES:
            # The repository's plan for a search with many matches (leads.search.criteria).
            where = " AND ".join(["workspace_id = ?", *many])
        offset = 0 if paged else (page - 1) * limit  # `paged`: the conditions hold the page
        rows = self._rows(
            f"SELECT * FROM leads WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*values, limit, offset],
        )
        return {"data": self._tagged(rows), "meta": {"total": total, "page": page}}

    def _search(self, fragment: str) -> tuple[str, list[Any]]:
        if self.sqlite:
            quoted = '"' + fragment.replace('"', '""') + '"'
            table = self.search_table
            # As leads.search.criteria: the matches narrowed to the workspace by id first.
            mine = (
                "SELECT scoped.id FROM leads AS scoped WHERE scoped.workspace_id = ?"
                f" AND scoped.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"
            )
            return f"id IN ({mine})", [self.ws.id, quoted]
        escaped = fragment.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{PG_SEARCH_TEXT} LIKE ?", [f"%{escaped}%"]

    def _tagged(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not rows:
            return rows
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        names: dict[int, list[str]] = {}
        for found in self._rows(
            "SELECT lead_tags.lead_id, tags.name FROM lead_tags JOIN tags ON tags.id ="
            f" lead_tags.tag_id WHERE lead_tags.workspace_id = ? AND lead_tags.lead_id IN ({marks})"
            " ORDER BY tags.name",
            [self.ws.id, *ids],
        ):
            names.setdefault(found["lead_id"], []).append(found["name"])
        return [{**row, "tags": names.get(row["id"], [])} for row in rows]

    def _insert(self, args: dict[str, Any]) -> int:
        now = datetime.now(UTC)
        row = {
            "workspace_id": self.ws.id,
            "first_name": args["first_name"],
            "email": args["email"],
            "source": "api",
            "status": "new",
            "lead_score": 0,
            "starred": False,
            "custom_fields": "{}",
            "created_at": now,
            "updated_at": now,
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        found = self._rows(
            f"INSERT INTO leads ({columns}) VALUES ({marks}) RETURNING id", list(row.values())
        )
        return int(found[0]["id"])

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        if self.sqlite:
            values = [_sqlite_value(value) for value in params]
            return [dict(row) for row in self.connection.execute(sql, values).fetchall()]
        values = [_postgres_value(value) for value in params]
        return list(self.connection.execute(sql.replace("?", "%s"), values).fetchall())


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy keeps SQLite datetimes as naive UTC text in this exact form.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _postgres_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _libpq_url(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, default=str)


def ensure_search_index(database_url: str) -> str:
    """The trigram search the floor uses: LeadHub's own when its migration made one, else the
    floor's (built once per bench database). Answers the SQLite table's name."""
    path = sqlite_path(database_url)
    if path is None:
        _ensure_trigram_indexes(database_url)
        return ""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        if FTS_TABLE in tables:
            return FTS_TABLE
        if FLOOR_FTS_TABLE not in tables:
            connection.execute(
                f"CREATE VIRTUAL TABLE {FLOOR_FTS_TABLE} USING fts5("
                f"{', '.join(SEARCH_COLUMNS)}, content='leads', content_rowid='id',"
                " tokenize='trigram')"
            )
            connection.execute(
                f"INSERT INTO {FLOOR_FTS_TABLE}({FLOOR_FTS_TABLE}) VALUES('rebuild')"
            )
        return FLOOR_FTS_TABLE
    finally:
        connection.close()


def _ensure_trigram_indexes(database_url: str) -> None:
    import psycopg

    with psycopg.connect(_libpq_url(database_url), autocommit=True) as connection:
        found = connection.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'leads'"
            " AND indexdef ILIKE '%gin_trgm_ops%'"
        ).fetchone()
        if found and found[0]:
            return
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        connection.execute(
            "CREATE INDEX IF NOT EXISTS bench_floor_search_trgm ON leads"
            f" USING gin (({PG_SEARCH_TEXT}) gin_trgm_ops)"
        )
        connection.execute("ANALYZE leads")


def measure(
    floor: Floor,
    scenario: Scenario,
    *,
    duration: float,
    warmup: float = WARMUP_SECONDS,
    seed: int = 1,
) -> Stats:
    """The scenario's SQL on one connection, back to back, timed per answer."""
    rng = random.Random(seed)
    stats = Stats()
    window = Window.starting_now(warmup, duration)
    while window.is_open(stats):
        sent = time.perf_counter()
        floor.answer(scenario, scenario.draw(rng))
        done = time.perf_counter()
        if window.counts(done, stats):
            stats.requests += 1
            stats.latencies_ms.append((done - sent) * 1000)
            stats.statuses[200] += 1
    stats.seconds = window.seconds
    return stats
