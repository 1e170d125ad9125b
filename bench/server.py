"""Starts ``bench/app.py`` through ``tests/e2e/serve.py`` and yields its URL."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.env import child_env

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "tests" / "e2e" / "serve.py"
APP = ROOT / "bench" / "app.py"


@contextmanager
def serving(log: Path) -> Iterator[str]:
    """The app runs in its own process, as in production: its CPU is not the clients'."""
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(SERVE), str(APP)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=child_env(),
        )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        line = proc.stdout.readline()
        if not line.strip():
            raise RuntimeError(f"the bench app did not start; see {log}")
        yield str(json.loads(line)["app"]).rstrip("/")
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
