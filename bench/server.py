"""Servers under test, as subprocesses: `leadhub serve` and the floor's Starlette app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.machine import REPOSITORY

START_TIMEOUT = 120.0
LEADHUB = Path(sys.executable).parent / "leadhub"


@dataclass(frozen=True)
class Server:
    base_url: str
    pid: int


@contextmanager
def leadhub(database_url: str, workers: int) -> Iterator[Server]:
    """`leadhub serve --workers W` on the bench database, with its data dir in a temp dir."""
    with tempfile.TemporaryDirectory(prefix="leadhub-bench-serve-") as workdir:
        env = {
            "LEADHUB_DATABASE_URL": database_url,
            "LEADHUB_DATA_DIR": str(Path(workdir) / "data"),
            # The driver is the local proxy: its X-Forwarded-For gives each form post an address.
            "LEADHUB_TRUSTED_PROXIES": "127.0.0.1",
        }
        command = [str(LEADHUB), "serve", "--workers", str(workers)]
        with _running(command, env, Path(workdir), ["--host", "127.0.0.1", "--port"]) as server:
            yield server


@contextmanager
def floor_app(context_file: Path, workers: int) -> Iterator[Server]:
    """bench.floor_app under uvicorn with the same worker count."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.floor_app:create",
        "--factory",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    env = {"BENCH_FLOOR_CONTEXT": str(context_file), "PYTHONPATH": str(REPOSITORY)}
    with _running(command, env, REPOSITORY, ["--host", "127.0.0.1", "--port"]) as server:
        yield server


@contextmanager
def _running(
    command: list[str], env: dict[str, str], cwd: Path, address: list[str]
) -> Iterator[Server]:
    port = _free_port()
    clean = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    log_path = Path(tempfile.mkstemp(prefix="bench-server-", suffix=".log")[1])
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, *address, str(port)],
            cwd=cwd,
            env={**clean, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(process, base_url, log_path)
        yield Server(base_url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_path.unlink(missing_ok=True)


def _wait_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/api/v1/health", timeout=1, trust_env=False).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
