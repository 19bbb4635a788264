"""`leadhub serve` processes that a test starts, kills and starts again on the same data."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from tests.conftest import (
    LEADHUB_COMMAND,
    LeadhubProcess,
    free_port,
    leadhub_env,
    wait_until_healthy,
)


class Node:
    """One `leadhub serve` process that a test can kill and start again on the same data."""

    def __init__(self, workdir: Path, database_url: str, **extra: str) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.env = leadhub_env(
            {
                "LEADHUB_DATABASE_URL": database_url,
                "LEADHUB_DATA_DIR": str(workdir / "data"),
                "LEADHUB_SECRET_KEY": "test-secret",
                **extra,
            }
        )
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [LEADHUB_COMMAND, "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=self.workdir,
                env={**self.env, "LEADHUB_BASE_URL": self.url},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_healthy(LeadhubProcess(self.process, self.log_path), self.url)
        return self.url

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid
