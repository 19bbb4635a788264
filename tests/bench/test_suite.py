"""The whole benchmark suite, scaled down: it must run end to end with no failed request and
write its JSON and Markdown with every section. It checks that the suite works, not speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bench.data import drop_database
from bench.machine import REPOSITORY
from bench.scenarios import SCALING
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.slow  # the suite starts `leadhub serve` and the floor's app

# 20,000 leads in all, as the small version asks.
SIZES = (1_000, 4_000, 15_000)
SCENARIOS = {
    *(
        f"list_{name}_{page}"
        for name in ("status", "source_dates", "tag", "starred", "assigned", "sorted")
        for page in ("p1", "p1000")
    ),
    "search_name",
    "search_email",
    "search_phone",
    "get_lead",
    "create_lead",
    "inbound_duplicate",
    "form_post",
    "leadtrackr_getleads",
    "leadpanther_leads",
}
SECTIONS = (
    "## Targets",
    "## Scenarios, workers=1",
    "## Floor: the SQL alone",
    "## Batch work",
    "## Scaling",
)


def _backend_and_url(tmp_path: Path) -> tuple[str, str]:
    """The test run's backend, as for every other test: PostgreSQL (a fresh database on that
    server, dropped afterwards) when LEADHUB_TEST_DATABASE_URL is set, else a SQLite file. CI runs
    the tests once per backend, so each run stays within its time."""
    configured = os.environ.get("LEADHUB_TEST_DATABASE_URL")
    if not configured:
        return "sqlite", f"sqlite:///{tmp_path / 'bench.db'}"
    name = f"leadhub_bench_{uuid.uuid4().hex[:12]}"
    url = make_url(configured).set(database=name).render_as_string(hide_password=False)
    return "postgresql", url


def run_bench(command: list[str], url: str, *, timeout: float) -> None:
    """A bench command run from the repository without the test run's LEADHUB_ settings; its
    database is dropped afterwards, and it must succeed."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    try:
        done = subprocess.run(
            command,
            cwd=REPOSITORY,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        drop_database(url)
    assert done.returncode == 0, done.stderr[-5000:]


def test_the_scaled_down_suite_runs_every_scenario_without_errors(tmp_path: Path) -> None:
    backend, url = _backend_and_url(tmp_path)
    out = tmp_path / "results"
    command = [
        sys.executable, "-m", "bench",
        "--leads", ",".join(str(size) for size in SIZES),
        "--duration", "0.4", "--warmup", "0.2", "--workers", "1",
        "--import-rows", "2000", "--export-rows", "20000",
        "--database-url", url, "--out", str(out), "--drop",
    ]  # fmt: skip
    run_bench(command, url, timeout=300)

    [json_path] = out.glob(f"*-{backend}.json")
    [md_path] = out.glob(f"*-{backend}.md")
    results = json.loads(json_path.read_text())
    assert results["backend"] == backend and results["errors"] == []
    assert results["data"]["sizes"] == list(SIZES)
    assert {"cpu", "cores", "ram_gb", "os"} <= results["machine"].keys()
    assert results["versions"]["leadhub_commit"]
    app = results["app"]["workers=1"]
    assert set(app["scenarios"]) == SCENARIOS and app["peak_rss_mb"] > 0
    assert set(results["floor_app"]["workers=1"]) == SCENARIOS - {"leadpanther_leads"}
    assert set(results["floor_db"]) == SCENARIOS - {"leadpanther_leads"}
    measured = [
        *app["scenarios"].values(),
        *results["floor_app"]["workers=1"].values(),
        *results["floor_db"].values(),
        *(row[name] for row in results["scaling"] for name in SCALING),
    ]
    for figures in measured:
        assert figures["errors"] == 0 and figures["requests"] > 0 and figures["p95"] is not None
    assert app["scenarios"]["list_status_p1"]["rps_ratio"] > 0
    assert [row["size"] for row in results["scaling"]] == list(SIZES)
    assert set(results["batch"]) == {"import", "export_csv", "export_xlsx"}
    assert results["batch"]["import"]["rows"] == 2000 and results["batch"]["import"]["failed"] == 0
    assert results["batch"]["export_csv"]["rows"] >= SIZES[-1]
    assert len(results["targets"]) == 9
    assert all(target["met"] is not None for target in results["targets"])
    markdown = md_path.read_text()
    for heading in SECTIONS:
        assert heading in markdown
