"""Results: the ratios to the floor, the targets, and the JSON and Markdown files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.scenarios import DEEP_PAGE, SCALING

Result = dict[str, Any]


def with_ratios(app: Result, floor_app: Result, floor_db: Result) -> Result:
    """Each app scenario beside its floors: rps ratio and p95 ratio to the Starlette floor."""
    rows: Result = {}
    for name, figures in app.items():
        web, db = floor_app.get(name), floor_db.get(name)
        rows[name] = {
            **figures,
            "floor_rps": web["rps"] if web else None,
            "floor_p95": web["p95"] if web else None,
            "rps_ratio": _ratio(figures["rps"], web["rps"] if web else None),
            "p95_ratio": _ratio(figures["p95"], web["p95"] if web else None),
            "db_floor_rps": db["rps"] if db else None,
            "db_floor_p95": db["p95"] if db else None,
        }
    return rows


def _ratio(value: float | None, floor: float | None) -> float | None:
    return round(value / floor, 3) if value is not None and floor else None


def targets(results: Result) -> list[Result]:
    """The goals, judged on the run's first worker count and largest workspace."""
    first: Result = next(iter(results["app"].values()), {})
    app: Result = first.get("scenarios", {})
    batch: Result = results.get("batch") or {}
    scaling: list[Result] = results.get("scaling", [])
    found: list[Result] = []

    def judge(goal: str, value: str, met: bool | None) -> None:
        found.append({"target": goal, "value": value, "met": met})

    # Page 1 of every kind of filter (the sorted list is the order's, not a filter's).
    filtered = {
        name.removeprefix("list_").removesuffix("_p1"): app[name].get("rps_ratio")
        for name in app
        if name.startswith("list_") and name.endswith("_p1") and name != "list_sorted_p1"
    }
    ratios = {kind: ratio for kind, ratio in filtered.items() if ratio is not None}
    judge(
        "filtered list page (with exact total) >= 0.8 x floor rps",
        ", ".join(f"{kind} {_fmt(ratio, 'x')}" for kind, ratio in ratios.items()) or "n/a",
        all(ratio >= 0.8 for ratio in ratios.values()) if ratios else None,
    )
    searches = [app[name] for name in app if name.startswith("search_")]
    pairs = [(s["p95"], s["db_floor_p95"]) for s in searches if s["p95"] and s["db_floor_p95"]]
    judge(
        "search p95 <= floor FTS5/trigram p95",
        ", ".join(f"{p:.1f} vs {f:.1f} ms" for p, f in pairs) or "n/a",
        all(p <= f for p, f in pairs) if pairs else None,
    )
    for name in ("create_lead", "inbound_duplicate"):
        ratio = app.get(name, {}).get("rps_ratio")
        judge(
            f"{name} >= 0.4 x floor rps", _fmt(ratio, "x"), None if ratio is None else ratio >= 0.4
        )
    deep = [
        (name, app[name]["p50"], app[name.replace(f"_p{DEEP_PAGE}", "_p1")]["p50"])
        for name in app
        if name.endswith(f"_p{DEEP_PAGE}") and app[name]["p50"]
    ]
    judge(
        "deep page p50 <= 2 x page-1 p50",
        ", ".join(f"{n.removeprefix('list_')}: {d / p:.1f}x" for n, d, p in deep if p) or "n/a",
        all(d <= 2 * p for _, d, p in deep) if deep else None,
    )
    growth = _growth(scaling)
    judge(
        "list p50 from smallest to largest workspace grows <= 2x",
        _fmt(growth, "x"),
        None if growth is None else growth <= 2,
    )
    imported = batch.get("import")
    judge(
        "import >= 5,000 rows/s with peak RSS < 300 MB",
        f"{imported['rows_per_second']:,.0f} rows/s, {imported['peak_rss_mb']} MB"
        if imported
        else "n/a",
        imported["rows_per_second"] >= 5000 and imported["peak_rss_mb"] < 300 if imported else None,
    )
    csv = batch.get("export_csv")
    judge(
        "export CSV >= 50,000 rows/s with RSS growth < 50 MB",
        f"{csv['rows_per_second']:,.0f} rows/s, +{csv['rss_growth_mb']} MB" if csv else "n/a",
        csv["rows_per_second"] >= 50_000 and csv["rss_growth_mb"] < 50 if csv else None,
    )
    peak = first.get("peak_rss_mb")
    judge("server RSS under load < 250 MB", _fmt(peak, " MB"), None if peak is None else peak < 250)
    return found


def _growth(scaling: list[Result]) -> float | None:
    p50s: list[float | None] = [
        row["list_status_p1"]["p50"] for row in scaling if row.get("list_status_p1")
    ]
    first, last = (p50s[0], p50s[-1]) if len(p50s) >= 2 else (None, None)
    if not first or last is None:
        return None
    return round(last / first, 2)


def _fmt(value: float | None, unit: str) -> str:
    return "n/a" if value is None else f"{value:g}{unit}"


def write(results: Result, out: Path, stem: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path.write_text(markdown(results))
    return json_path, md_path


def markdown(results: Result) -> str:
    lines = [f"# LeadHub benchmark, {results['started_at']} ({results['backend']})", ""]
    lines += [f"`{results['command']}`", ""]
    machine, versions = results["machine"], results["versions"]
    lines += [
        "## Machine",
        "",
        f"- CPU: {machine['cpu']} ({machine['cores']} cores), RAM {machine['ram_gb']} GB",
        f"- OS: {machine['os']}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if v),
        f"- Data: workspaces of {', '.join(f'{s:,}' for s in results['data']['sizes'])} leads"
        f" ({'reused' if results['data']['reused'] else 'generated'}"
        f" in {results['data']['generate_seconds']:.0f} s); duration"
        f" {results['options']['duration']} s per scenario, concurrency"
        f" {results['options']['concurrency']}",
        "",
    ]
    lines += _targets_table(results["targets"])
    for label, section in results["app"].items():
        lines += [f"## Scenarios, {label} (server peak RSS {section['peak_rss_mb']} MB)", ""]
        lines += _scenario_table(section["scenarios"])
    lines += ["## Floor: the SQL alone (one connection)", ""]
    lines += _scenario_table(results["floor_db"], floors=False)
    lines += _batch_table(results.get("batch"))
    lines += _scaling_table(results["scaling"])
    return "\n".join(lines) + "\n"


def _n(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _scenario_table(rows: Result, *, floors: bool = True) -> list[str]:
    head = ["scenario", "rps", "p50 ms", "p95 ms", "p99 ms", "errors"]
    if floors:
        head += ["floor rps", "rps ratio", "floor p95", "p95 ratio", "SQL rps", "SQL p95"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in rows.items():
        errors = f"**{r['errors']}**" if r["errors"] else "0"
        cells = [name, _n(r["rps"]), _n(r["p50"], 2), _n(r["p95"], 2), _n(r["p99"], 2), errors]
        if floors:
            cells += [
                _n(r["floor_rps"]),
                _n(r["rps_ratio"], 2),
                _n(r["floor_p95"], 2),
                _n(r["p95_ratio"], 2),
                _n(r["db_floor_rps"]),
                _n(r["db_floor_p95"], 2),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _targets_table(found: list[Result]) -> list[str]:
    lines = [
        "## Targets (set for SQLite, 1M leads, 1 worker; judged on this run's first worker"
        " count and largest workspace)",
        "",
        "| target | value | result |",
        "|---|---|---|",
    ]
    for t in found:
        verdict = {True: "met", False: "**missed**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {t['value']} | {verdict} |")
    return [*lines, ""]


def _batch_table(batch: Result | None) -> list[str]:
    lines = ["## Batch work (each in its own process)", ""]
    if not batch:
        return [*lines, "Skipped (`--no-batch`).", ""]
    lines += [
        "| work | rows | seconds | rows/s | RSS at start MB | peak RSS MB | RSS growth MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in batch.items():
        lines.append(
            f"| {name} | {r['rows']:,} | {r['seconds']} | {_n(r['rows_per_second'], 0)} |"
            f" {r['rss_start_mb']} | {r['peak_rss_mb']} | {r['rss_growth_mb']} |"
        )
    return [*lines, ""]


def _scaling_table(scaling: list[Result]) -> list[str]:
    head = ["leads"]
    for name in SCALING:
        head += [f"{name} rps", f"{name} p50", f"{name} p95"]
    lines = ["## Scaling (first worker count)", "", "| " + " | ".join(head) + " |"]
    lines.append("|" + "---|" * len(head))
    for row in scaling:
        cells = [f"{row['size']:,}"]
        for name in SCALING:
            r = row.get(name) or {}
            cells += [_n(r.get("rps")), _n(r.get("p50"), 2), _n(r.get("p95"), 2)]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
