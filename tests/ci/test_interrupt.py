"""Ctrl-C ends a run at once with exit 130, its requests in flight cancelled: a real SIGINT
to the command, while it waits on a server that accepts connections and never answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import ROOT

INTERRUPTED = 130


class Silent:
    """Accepts every connection, reads the request, never answers; notes each close."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.opened = 0
        self.closed = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.opened += 1
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        with conn:
            while conn.recv(65536):
                pass
        with self.lock:
            self.closed += 1

    def wait_for(self, what: str, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while getattr(self, what) < count:
            assert time.monotonic() < deadline, f"{what}: {getattr(self, what)} of {count}"
            time.sleep(0.02)


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.sock.close()


def _interrupt(
    args: list[str], cwd: Path, server: Silent, connections: int
) -> tuple[int, str, float]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "codegen", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        server.wait_for("opened", connections)
        time.sleep(0.2)  # the requests are sent and waiting for an answer
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
        return proc.returncode, stderr, time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_ctrl_c_during_a_config_runs_fetches_exits_130_at_once(
    tmp_path: Path, silent: Silent
) -> None:
    (tmp_path / "gradio-codegen.toml").write_text(
        "timeout = 600\n"
        + "".join(f'[[apps]]\nsrc = "{silent.url}/{a}/"\noutput = "clients/{a}"\n' for a in "ab"),
        encoding="utf-8",
    )
    code, stderr, took = _interrupt(["--check"], tmp_path, silent, connections=2)
    assert code == INTERRUPTED, stderr
    assert stderr == "interrupted\n"  # one line, no traceback
    assert took < 5  # not the 600 s the requests would wait
    silent.wait_for("closed", 2, timeout=5)  # both requests in flight were cancelled
    assert not (tmp_path / "clients").exists()


def test_ctrl_c_during_a_single_fetch_exits_130_and_writes_nothing(
    tmp_path: Path, silent: Silent
) -> None:
    code, stderr, took = _interrupt(
        [silent.url, "-o", "out", "--timeout", "600"], tmp_path, silent, 1
    )
    assert (code, stderr) == (INTERRUPTED, "interrupted\n")
    assert took < 5
    silent.wait_for("closed", 1, timeout=5)
    assert not (tmp_path / "out").exists()
