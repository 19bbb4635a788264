#!/usr/bin/env python3
"""LeadHub's developer entry point; needs only Python 3.11+.

    python3 dev.py serve [--host H] [--port P]   # install into .venv if needed, then serve
    python3 dev.py test [--no-lint] [PYTEST ARGS]  # install, lint, type-check, run the tests

The first run creates `.venv` and installs the project with its development tools; later runs
reinstall only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".leadhub-install"


def tool(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("LeadHub needs Python 3.11 or newer.")
    if not Path(tool("python")).exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("installing LeadHub and its development tools into .venv …", flush=True)
    pip = [tool("python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*command: str) -> None:
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def lint() -> None:
    run(tool("ruff"), "check", "src", "tests", "bench", "dev.py")
    run(tool("ruff"), "format", "--check", "src", "tests", "bench", "dev.py")
    run(tool("mypy"))
    run(tool("lint-imports"))


def test(args: list[str]) -> None:
    if "--no-lint" in args:
        args = [arg for arg in args if arg != "--no-lint"]
    else:
        lint()
    workers = [] if any(arg.startswith("-n") for arg in args) else ["-n", "2"]
    run(tool("pytest"), *workers, *args)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test", "lint"}:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    ensure_environment()
    if command == "serve":
        os.execv(tool("leadhub"), [tool("leadhub"), "serve", *args])
    elif command == "lint":
        lint()
    else:
        test(args)


if __name__ == "__main__":
    main()
