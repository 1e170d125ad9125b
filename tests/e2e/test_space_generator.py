"""The generator against real Gradio apps: an app behind ``launch(auth=...)`` read with
``--auth`` on 6.31, 5.49.1, 4.44.1 and 3.50.2, and a Space id resolved through the stand-in
Hub to a live app (a renamed Space on a host of its own)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import gradio_python, serving

from codegen.cli import main
from codegen.parse import parse
from codegen.pipeline import from_folder
from tests.folders import snapshot
from tests.hub import StandInHub, stand_in_hub

__all__ = ["stand_in_hub"]  # the fixture, used by name

USER, PASSWORD = "ada", "pw-Lovelace-1815"
VERSIONS = ("current", "5.49.1", "4.44.1", "3.50.2")


@pytest.fixture(scope="module", params=VERSIONS)
def login_app(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """The Space-like app behind a login, on one Gradio version: (version, url)."""
    env = {"SERVE_AUTH": f"{USER}:{PASSWORD}"}
    version = None if request.param == "current" else request.param
    with serving(("space",), extra_env=env, python=gradio_python(version)) as urls:
        yield request.param, urls["space"]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("GRADIO_PASSWORD", raising=False)
    return CliRunner()


def _error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_auth_logs_in_and_reads_the_schema(
    login_app: tuple[str, str], runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version, url = login_app
    monkeypatch.setenv("GRADIO_PASSWORD", PASSWORD)
    out = tmp_path / "out"
    result = runner.invoke(main, [url, "-o", str(out), "--auth", USER])
    assert result.exit_code == 0, result.stderr
    app = parse(from_folder(out)[0])
    names = {e.api_name for e in app.endpoints}
    assert {"token_headers", "notify", "signup"} <= names, (version, names)
    if version != "current":
        assert app.gradio_version == version
    for path in out.rglob("*"):  # the password is never written
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in result.stdout + result.stderr


def test_wrong_password_is_one_line_and_leaves_the_folder(
    login_app: tuple[str, str], runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = login_app
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("kept")
    monkeypatch.setenv("GRADIO_PASSWORD", "not-the-password")
    result = runner.invoke(main, [url, "-o", str(out), "--auth", USER, "-v"])
    assert result.exit_code == 4
    assert "refused the login for user 'ada'" in result.stderr
    assert "GRADIO_PASSWORD" in result.stderr
    assert "not-the-password" not in result.stderr
    assert snapshot(out) == {"mine.txt": b"kept"}


def test_login_app_without_auth_says_to_pass_it(
    login_app: tuple[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    _, url = login_app
    result = runner.invoke(main, [url, "-o", str(tmp_path / "out")])
    assert result.exit_code == 4
    line = _error_line(result)
    assert "behind a login" in line and "--auth USER" in line and "GRADIO_PASSWORD" in line
    assert "HF_TOKEN" not in line
    assert not (tmp_path / "out").exists()


def test_auth_without_the_password_in_the_environment(
    login_app: tuple[str, str], runner: CliRunner, tmp_path: Path
) -> None:
    _, url = login_app
    result = runner.invoke(main, [url, "-o", str(tmp_path / "out"), "--auth", USER])
    assert result.exit_code == 4
    assert "GRADIO_PASSWORD" in _error_line(result)


def test_diff_logs_in_too(
    login_app: tuple[str, str], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = login_app
    monkeypatch.setenv("GRADIO_PASSWORD", PASSWORD)
    result = runner.invoke(main, ["diff", url, url, "--auth", USER])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "no API changes"


@pytest.fixture(scope="module")
def space_app() -> Iterator[str]:
    with serving(("space",)) as urls:
        yield urls["space"].rstrip("/")


def test_renamed_space_on_its_own_host_is_generated_from_the_live_app(
    stand_in_hub: StandInHub, space_app: str, runner: CliRunner, tmp_path: Path
) -> None:
    """The Hub names a host unrelated to the id (a custom domain) and a new id; the client
    calls that host by default and the lock records both."""
    stand_in_hub.add("lab/space-v2", host=space_app, stages=["SLEEPING", "RUNNING"])
    stand_in_hub.add("lab/space", renamed_to="lab/space-v2")
    out = tmp_path / "out"
    result = runner.invoke(main, ["lab/space", "-o", str(out), "--token", "hf_canary_x", "-v"])
    assert result.exit_code == 0, result.stderr
    assert "lab/space-v2 is SLEEPING: waking it" in result.stderr
    lock = json.loads((out / "gradio-codegen.lock").read_text())
    assert (lock["source"]["space_id"], lock["source"]["origin"]) == ("lab/space-v2", space_app)
    client = (out / "python" / "space_v2" / "client.py").read_text()
    assert f'BASE_URL = "{space_app}"' in client
    assert "def token_headers" in client
    assert all(
        s.headers["authorization"] == "Bearer hf_canary_x"
        for s in stand_in_hub.requests_to("/api/")
    )
    assert b"hf_canary_x" not in b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
