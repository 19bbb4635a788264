"""Instructions per request: a cost that does not move with the machine's load.

`python -m bench.instructions [options]` (see README, Development). Requests per second on a
shared machine move by half from one hour to the next, so a change that saves a tenth of a
request's work cannot be seen in them. The instructions a request executes do not move: valgrind's
callgrind counts them, here for one request at a time, in process (the ASGI app called directly,
no HTTP), after a warm-up, for LeadHub's app and for the floor's Starlette app answering the same
calls from the same bench database. The count covers every thread (the endpoint's worker thread,
SQLite's work); the ratio floor / app is the single-core counterpart of the suite's rps ratio.
Results go to `<out>/<UTC timestamp>-instructions-<backend>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import data, floor, floor_app, machine
from bench.driver import Call
from bench.scenarios import Scenario, build

DEFAULT_DATABASE = f"sqlite:///{machine.REPOSITORY / 'bench-data' / 'bench.db'}"
DEFAULT_OUT = machine.REPOSITORY / "bench" / "results"
DEFAULT_SCENARIOS = ("get_lead", "list_status_p1", "search_email", "create_lead")
WARMUP_REQUESTS = 30
SEED = 7
_COLLECTED = re.compile(r"Collected\s*:\s*([\d,]+)")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.instructions",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument(
        "--leads",
        type=int,
        default=100_000,
        help="the bench workspace to use (generated first if the database lacks it)",
    )
    parser.add_argument("--scenarios", default=",".join(DEFAULT_SCENARIOS))
    parser.add_argument("--requests", type=int, default=100, help="counted requests per run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    # The process valgrind runs: one target, one scenario.
    parser.add_argument("--child", choices=("app", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--context", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- the counted process ---------------------------------------------------------------------


def _asgi_app(target: str, context: dict[str, Any], workdir: Path) -> Any:
    if target == "floor":
        return floor_app.create()
    from leadhub.app import create_app
    from leadhub.config import Settings

    settings = Settings(
        data_dir=workdir / "data",
        database_url=context["database_url"],
        secret_key="bench-instructions",
        redis_url=None,
    )
    return create_app(settings)


async def _request(app: Any, call: Call) -> int:
    """One call straight to the ASGI app; answers the status."""
    body = json.dumps(call.json).encode() if call.json is not None else b""
    headers = [(b"host", b"bench"), (b"content-length", str(len(body)).encode())]
    if call.json is not None:
        headers.append((b"content-type", b"application/json"))
    headers.extend(
        (name.lower().encode(), value.encode()) for name, value in (call.headers or {}).items()
    )
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": call.method,
        "scheme": "http",
        "path": call.path,
        "raw_path": call.path.encode(),
        "query_string": urllib.parse.urlencode(call.params or {}).encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never goes away
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status: int = sent[0]["status"]
    return status


def _callgrind(switch: str) -> None:
    """Counting on or off for this process (a no-op outside valgrind would be a silent lie)."""
    subprocess.run(
        ["callgrind_control", "--instr=" + switch, str(os.getpid())],
        check=True,
        capture_output=True,
    )


async def _count(options: argparse.Namespace) -> None:
    context = json.loads(options.context.read_text())
    os.environ["BENCH_FLOOR_CONTEXT"] = str(options.context)
    ws = data.workspace_from_json(context["workspace"])
    scenario = {found.name: found for found in build(ws)}[options.scenario]
    rng = random.Random(SEED)

    def call() -> Call:
        args = scenario.draw(rng)
        return scenario.floor_call(args) if options.child == "floor" else scenario.app(args)

    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as workdir:
        app = _asgi_app(options.child, context, Path(workdir))
        for _ in range(WARMUP_REQUESTS):
            await _checked(app, call())
        _callgrind("on")
        for _ in range(options.requests):
            await _checked(app, call())
        _callgrind("off")


async def _checked(app: Any, call: Call) -> None:
    status = await _request(app, call)
    if not 200 <= status < 300:
        raise SystemExit(f"{call.method} {call.path} answered {status}")


# -- the parent: one valgrind run per target and scenario --------------------------------------


def count(context: Path, target: str, scenario: str, requests: int) -> float:
    """Instructions per request of `target` answering `scenario`."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--child",
        target,
        "--context",
        str(context),
        "--scenario",
        scenario,
        "--requests",
        str(requests),
    ]
    env = {**os.environ, "PYTHONPATH": str(machine.REPOSITORY)}
    done = subprocess.run(
        command, cwd=machine.REPOSITORY, env=env, capture_output=True, text=True, check=False
    )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{target} {scenario}: valgrind run failed\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", "")) / requests


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"# LeadHub instructions per request, {results['started_at']} ({results['backend']})",
        "",
        f"`{results['command']}`",
        "",
        f"- Versions: {', '.join(f'{k} {v}' for k, v in results['versions'].items() if v)}",
        f"- Workspace: {results['leads']:,} leads; {results['requests']} counted requests per "
        f"run after {WARMUP_REQUESTS} uncounted, one at a time, in process",
        "",
        "| scenario | app instructions | floor instructions | floor / app |",
        "|---|---|---|---|",
    ]
    for name, row in results["scenarios"].items():
        lines.append(f"| {name} | {row['app']:,.0f} | {row['floor']:,.0f} | {row['ratio']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if options.child:
        asyncio.run(_count(options))
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian's package valgrind)")
    url = options.database_url
    dataset = data.prepare(url, [options.leads], reuse=True)
    search_table = floor.ensure_search_index(url)
    backend = "sqlite" if data.sqlite_path(url) is not None else "postgresql"
    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "backend": backend,
        "command": shlex.join(
            [sys.executable, "-m", "bench.instructions", *(argv or sys.argv[1:])]
        ),
        "versions": machine.describe(url)["versions"],
        "leads": options.leads,
        "requests": options.requests,
        "scenarios": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as workdir:
        context = Path(workdir) / "context.json"
        floor_app.write_context(context, url, search_table, dataset.main)
        scenarios: dict[str, Scenario] = {found.name: found for found in build(dataset.main)}
        for name in options.scenarios.split(","):
            if name not in scenarios or not scenarios[name].has_floor:
                raise SystemExit(f"no scenario with a floor is named {name!r}")
            app = count(context, "app", name, options.requests)
            floor_count = count(context, "floor", name, options.requests)
            results["scenarios"][name] = {
                "app": round(app),
                "floor": round(floor_count),
                "ratio": round(floor_count / app, 3),
            }
            print(f"{name}: app {app:,.0f}, floor {floor_count:,.0f}", flush=True)
    options.out.mkdir(parents=True, exist_ok=True)
    stem = f"{started:%Y%m%dT%H%M%SZ}-instructions-{backend}"
    (options.out / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    (options.out / f"{stem}.md").write_text(markdown(results))
    print(f"written: {options.out / stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
