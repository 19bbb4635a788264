"""The machine and the versions a run measured, so results from different hosts can be compared."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

REPOSITORY = Path(__file__).resolve().parent.parent


def describe(database_url: str) -> dict[str, Any]:
    return {
        "machine": {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "ram_gb": round(_mem_total_kb() / 1024 / 1024, 1),
            "os": f"{platform.system()} {platform.release()} ({_os_name()})",
        },
        "versions": {
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "postgresql": _postgres_version(database_url),
            "leadhub_commit": _git_commit(),
        },
    }


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total_kb() -> int:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def _os_name() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return "unknown"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _postgres_version(database_url: str) -> str | None:
    if not database_url.startswith("postgresql"):
        return None
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def _git_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=REPOSITORY, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD") or "unknown"
    # Uncommitted changes to src/ mean the figures are not those of the commit alone.
    return commit + ("+dirty" if git("status", "--porcelain", "--", "src") else "")
