"""LeadHub's benchmark suite: `.venv/bin/python -m bench [options]` (see README, Development).

Generates (or reuses) a bench database, drives a real `leadhub serve` through every scenario,
puts the same questions to the database alone and to a bare Starlette app (the floor), runs the
batch work, and writes `<out>/<UTC timestamp>-<backend>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import json
import random
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import batch, data, floor, floor_app, machine, report, server
from bench.driver import WARMUP_SECONDS, Stats, drive, prime
from bench.rss import PeakSampler
from bench.scenarios import SCALING, Scenario, build

DEFAULT_DATABASE = f"sqlite:///{machine.REPOSITORY / 'bench-data' / 'bench.db'}"
DEFAULT_OUT = machine.REPOSITORY / "bench" / "results"


def _ints(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--leads",
        type=_ints,
        default=[10_000, 100_000, 1_000_000],
        help="workspace sizes, commas (the largest is the main one)",
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario")
    parser.add_argument(
        "--warmup", type=float, default=WARMUP_SECONDS, help="uncounted seconds first"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once")
    parser.add_argument("--workers", type=_ints, default=[1, 2], help="server processes, commas")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the bench database when it has these sizes already",
    )
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--no-batch", action="store_true", help="skip the import and exports")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--export-rows",
        type=int,
        help="export the largest workspace of at most this many leads (default: the main one)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _line(label: str, figures: dict[str, Any]) -> str:
    errors = f"  ERRORS {figures['errors']}" if figures["errors"] else ""
    return (
        f"{label:<42} {figures['rps']:>9,.1f} rps  p50 {figures['p50'] or 0:>8.2f}"
        f"  p95 {figures['p95'] or 0:>8.2f}  p99 {figures['p99'] or 0:>8.2f} ms{errors}"
    )


def _drive(
    base_url: str, scenario: Scenario, options: argparse.Namespace, floor_app: bool
) -> dict[str, Any]:
    rng = random.Random(options.seed)

    def call() -> Any:
        args = scenario.draw(rng)
        return scenario.floor_call(args) if floor_app else scenario.app(args)

    stats: Stats = drive(
        base_url,
        call,
        duration=options.duration,
        concurrency=options.concurrency,
        warmup=options.warmup,
    )
    return stats.summary()


def _prime(base_url: str, scenarios: list[Scenario], *, floor_app: bool) -> None:
    rng = random.Random(0)
    calls = [s.floor_call(s.draw(rng)) if floor_app else s.app(s.draw(rng)) for s in scenarios]
    prime(base_url, calls)


def run_app(
    url: str,
    scenarios: list[Scenario],
    options: argparse.Namespace,
    workers: int,
    smaller: list[data.BenchWorkspace],
) -> dict[str, Any]:
    """Every scenario on the main workspace, then the scaling scenarios on the `smaller` ones
    (the same server: one start fewer)."""
    found: dict[str, Any] = {}
    scaling: list[dict[str, Any]] = []
    with server.leadhub(url, workers) as running, PeakSampler(running.pid) as rss:
        _prime(running.base_url, scenarios, floor_app=False)
        for scenario in scenarios:
            found[scenario.name] = _drive(running.base_url, scenario, options, False)
            say(_line(f"app w={workers} {scenario.name}", found[scenario.name]))
        for ws in smaller:
            row: dict[str, Any] = {"size": ws.size}
            for scenario in build(ws):
                if scenario.name in SCALING:
                    row[scenario.name] = _drive(running.base_url, scenario, options, False)
                    say(_line(f"scaling {ws.size:,} {scenario.name}", row[scenario.name]))
            scaling.append(row)
    peak = round(rss.peak_kb / 1024, 1)
    return {"scenarios": found, "peak_rss_mb": peak, "scaling": scaling}


def run_floor_app(
    context: Path, scenarios: list[Scenario], options: argparse.Namespace, workers: int
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with server.floor_app(context, workers) as running:
        _prime(running.base_url, [s for s in scenarios if s.has_floor], floor_app=True)
        for scenario in scenarios:
            if scenario.has_floor:
                found[scenario.name] = _drive(running.base_url, scenario, options, True)
                say(_line(f"floor app w={workers} {scenario.name}", found[scenario.name]))
    return found


def run_floor_db(
    url: str,
    ws: data.BenchWorkspace,
    search_table: str,
    scenarios: list[Scenario],
    options: argparse.Namespace,
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    direct = floor.Floor(url, ws, search_table)
    try:
        for scenario in scenarios:
            if scenario.has_floor:
                stats = floor.measure(
                    direct,
                    scenario,
                    duration=options.duration,
                    warmup=options.warmup,
                    seed=options.seed,
                )
                found[scenario.name] = stats.summary()
                say(_line(f"floor SQL {scenario.name}", found[scenario.name]))
    finally:
        direct.close()
    return found


def run_batch(dataset: data.Dataset, options: argparse.Namespace) -> dict[str, Any]:
    url = dataset.database_url
    limit = options.export_rows or dataset.main.size
    fitting = [ws for ws in dataset.workspaces if ws.size <= limit] or dataset.workspaces[:1]
    slug = fitting[-1].slug
    found = {
        "import": batch.run("import", "--database-url", url, "--rows", str(options.import_rows))
    }
    say(f"batch import: {json.dumps(found['import'])}")
    for format_ in ("csv", "xlsx"):
        found[f"export_{format_}"] = batch.run(
            "export", "--database-url", url, "--slug", slug, "--format", format_
        )
        say(f"batch export {format_}: {json.dumps(found[f'export_{format_}'])}")
    return found


def count_errors(results: dict[str, Any]) -> list[str]:
    """Every scenario that had a non-2xx answer (with a sample) or no answer counted at all."""
    measured: list[tuple[str, dict[str, Any]]] = []
    for label, section in results["app"].items():
        measured += [(f"app {label} {n}", r) for n, r in section["scenarios"].items()]
    for label, section in results["floor_app"].items():
        measured += [(f"floor app {label} {n}", r) for n, r in section.items()]
    measured += [(f"floor SQL {n}", r) for n, r in results["floor_db"].items()]
    for row in results["scaling"]:
        measured += [(f"scaling {row['size']} {n}", row[n]) for n in SCALING if n in row]
    bad: list[str] = []
    for where, r in measured:
        if r["errors"]:
            bad.append(f"{where}: {r['errors']} errors; {r['error_sample']}")
        if not r["requests"]:
            bad.append(f"{where}: no answer within the measured time")
    return bad


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    started = datetime.now(UTC)
    url = options.database_url
    backend = "sqlite" if data.sqlite_path(url) is not None else "postgresql"
    sizes = sorted(options.leads)
    say(f"bench: preparing {backend} database with workspaces of {sizes} leads")
    clock = time.perf_counter()
    dataset = data.prepare(url, sizes, reuse=options.reuse)
    say(f"bench: data ready in {time.perf_counter() - clock:.0f} s (reused: {dataset.reused})")
    search_table = floor.ensure_search_index(url)
    main_ws = dataset.main
    scenarios = build(main_ws)
    results: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "backend": backend,
        "command": shlex.join([sys.executable, "-m", "bench", *(argv or sys.argv[1:])]),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()},
        **machine.describe(url),
        "data": {
            "sizes": sizes,
            "reused": dataset.reused,
            "generate_seconds": round(dataset.generated_seconds, 1),
            "search_table": search_table or "pg_trgm",
        },
    }
    results["floor_db"] = run_floor_db(url, main_ws, search_table, scenarios, options)
    results["app"], results["floor_app"], results["scaling"] = {}, {}, []
    with tempfile.TemporaryDirectory(prefix="leadhub-bench-") as workdir:
        context = Path(workdir) / "floor-context.json"
        floor_app.write_context(context, url, search_table, main_ws)
        for workers in options.workers:
            label = f"workers={workers}"
            smaller = dataset.workspaces[:-1] if workers == options.workers[0] else []
            app = run_app(url, scenarios, options, workers, smaller)
            if smaller:
                # The main workspace's figures come from the main run itself.
                main_row = {"size": main_ws.size, **{n: app["scenarios"][n] for n in SCALING}}
                results["scaling"] = [*app.pop("scaling"), main_row]
            else:
                app.pop("scaling")
            results["floor_app"][label] = run_floor_app(context, scenarios, options, workers)
            app["scenarios"] = report.with_ratios(
                app["scenarios"], results["floor_app"][label], results["floor_db"]
            )
            results["app"][label] = app
    results["batch"] = None if options.no_batch else run_batch(dataset, options)
    results["targets"] = report.targets(results)
    errors = count_errors(results)
    results["errors"] = errors
    stem = f"{started.strftime('%Y%m%dT%H%M%SZ')}-{backend}"
    json_path, md_path = report.write(results, options.out, stem)
    if options.drop:
        data.drop_database(url)
    say(f"bench: results in {json_path} and {md_path}")
    for t in results["targets"]:
        say(
            f"target {'met' if t['met'] else 'MISSED' if t['met'] is False else 'n/a'}:"
            f" {t['target']} ({t['value']})"
        )
    if errors:
        say("!" * 72 + "\nNON-2XX ANSWERS:\n" + "\n".join(errors) + "\n" + "!" * 72)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
