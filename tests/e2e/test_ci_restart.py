"""A restart is no drift: real apps generated, restarted on the same ports, then checked.

The chat (gr.State, with its delete_callback repr), media (files), assistant (ChatInterface,
BrowserState) and evolving apps run under Gradio 6.31 and 5.49.1. The first three restart
with the same code and must stay byte for byte the same through ``--check``, ``regen
--check`` and a plain run; evolving restarts at its API version 2, a real change that
``--check`` must still report.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from tests.e2e.conftest import gradio_python
from tests.folders import snapshot

STABLE = ("chat", "media", "assistant")
APPS = (*STABLE, "evolving")

Serve = Callable[..., contextlib.AbstractContextManager[dict[str, str]]]


def _free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


@pytest.mark.parametrize("version", [None, "5.49.1"], ids=["6.31", "5.49.1"])
def test_a_restarted_app_is_up_to_date_and_a_changed_one_is_not(
    serve: Serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str | None
) -> None:
    python = gradio_python(version)
    ports = ",".join(map(str, _free_ports(len(APPS))))
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    with serve(APPS, {"SERVE_PORT": ports, "EVOLVING_API": "1"}, python) as urls:
        (tmp_path / "gradio-codegen.toml").write_text(
            "".join(f'[[apps]]\nsrc = "{urls[a]}"\noutput = "clients/{a}"\n' for a in APPS),
            encoding="utf-8",
        )
        generated = runner.invoke(main, [])
        assert generated.exit_code == 0, generated.output
    before = snapshot(tmp_path / "clients")
    assert any(
        "delete_callback" in (tmp_path / f"clients/{a}/config.json").read_text() for a in STABLE
    )

    with serve(APPS, {"SERVE_PORT": ports, "EVOLVING_API": "2"}, python) as again:
        assert again == urls  # the same URLs: what a Space's restart looks like
        checked = runner.invoke(main, ["--check"])
        stable = runner.invoke(main, ["--check", *(f"--app={a}" for a in STABLE)])
        rerun = runner.invoke(main, [f"--app={a}" for a in STABLE])
    offline = runner.invoke(main, ["regen", "--check"])

    assert checked.exit_code == 1, checked.output
    lines = checked.stdout.splitlines()
    for app in STABLE:
        assert f"up to date: clients/{app}" in lines, checked.output
    assert lines[-1] == "to update: run the same command without --check"
    assert any(line.startswith("out of date: clients/evolving (") for line in lines)
    assert "breaking: /greet: input 'name' renamed to 'who'" in lines  # the real change
    assert (stable.exit_code, stable.stdout) == (
        0,
        "".join(f"up to date: clients/{a}\n" for a in STABLE),
    )
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout.count("nothing written") == len(STABLE)
    assert (offline.exit_code, offline.stdout.count("up to date: ")) == (0, len(APPS))
    assert snapshot(tmp_path / "clients") == before  # byte for byte, every file and lock
