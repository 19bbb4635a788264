"""The instruction count runs end to end under valgrind for LeadHub's app and the floor's, and
writes its JSON and Markdown. It checks that the count works, not what it finds."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from tests.bench.test_suite import _backend_and_url, run_bench
from tests.conftest import unavailable

pytestmark = pytest.mark.slow  # valgrind runs the app and the floor's, each in a process of its own


def test_instructions_per_request_are_counted_for_the_app_and_the_floor(tmp_path: Path) -> None:
    if shutil.which("valgrind") is None:
        unavailable("valgrind")
    backend, url = _backend_and_url(tmp_path)
    out = tmp_path / "results"
    command = [
        sys.executable, "-m", "bench.instructions",
        "--leads", "1000", "--scenarios", "get_lead,create_lead", "--requests", "3",
        "--database-url", url, "--out", str(out),
    ]  # fmt: skip
    run_bench(command, url, timeout=600)
    [json_path] = out.glob(f"*-instructions-{backend}.json")
    [md_path] = out.glob(f"*-instructions-{backend}.md")
    results = json.loads(json_path.read_text())
    assert results["backend"] == backend and results["requests"] == 3
    assert set(results["scenarios"]) == {"get_lead", "create_lead"}
    for row in results["scenarios"].values():
        # A request of either app runs at least the interpreter's dispatch and SQLite's or
        # libpq's work: far more than a hundred thousand instructions.
        assert row["app"] > 100_000 and row["floor"] > 100_000
        assert row["ratio"] == pytest.approx(row["floor"] / row["app"], rel=1e-2)
    assert "| get_lead |" in md_path.read_text()
