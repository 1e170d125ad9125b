"""Regenerating in CI against live apps: --check, diff and the config file.

``apps/evolving.py`` is served at API version 1, generated and checked, then restarted on
the same port at version 2 (as a Space changes under its URL) and checked again.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codegen.cli import main
from tests.folders import snapshot


@dataclass(frozen=True)
class Evolution:
    folder: Path
    generated: Result
    unchanged: Result
    changed: Result
    diff_json: Result
    diff_markdown: Result
    before_check: dict[str, bytes]
    after_check: dict[str, bytes]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def evolution(
    serve: Callable[..., contextlib.AbstractContextManager[dict[str, str]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Evolution]:
    """Each step runs once here; the tests below only read what happened."""
    runner = CliRunner()
    folder = tmp_path_factory.mktemp("evolving") / "client"
    port = str(_free_port())
    with serve(("evolving",), {"EVOLVING_API": "1", "SERVE_PORT": port}) as urls:
        url = urls["evolving"]
        generated = runner.invoke(main, [url, "-o", str(folder)])
        unchanged = runner.invoke(main, [url, "-o", str(folder), "--check"])
    with serve(("evolving",), {"EVOLVING_API": "2", "SERVE_PORT": port}) as urls:
        assert urls["evolving"] == url
        before = snapshot(folder)
        changed = runner.invoke(main, [url, "-o", str(folder), "--check"])
        after = snapshot(folder)
        diff_json = runner.invoke(main, ["diff", str(folder), url, "--format", "json"])
        diff_markdown = runner.invoke(main, ["diff", str(folder), url, "--format", "markdown"])
    yield Evolution(folder, generated, unchanged, changed, diff_json, diff_markdown, before, after)


def test_check_is_0_for_an_unchanged_live_app(evolution: Evolution) -> None:
    assert evolution.generated.exit_code == 0, evolution.generated.output
    assert evolution.unchanged.exit_code == 0, evolution.unchanged.output
    assert evolution.unchanged.stdout == f"up to date: {evolution.folder}\n"
    lock = json.loads((evolution.folder / "gradio-codegen.lock").read_text(encoding="utf-8"))
    assert lock["source"]["given"].startswith("http://127.0.0.1:")
    assert set(lock["schemas"]) == {"openapi.json", "info.json", "config.json"}


def test_check_is_1_with_a_diff_and_the_api_changes_once_the_app_changed(
    evolution: Evolution,
) -> None:
    result = evolution.changed
    assert result.exit_code == 1, result.output
    out = result.stdout.splitlines()
    assert out[0].startswith(f"out of date: {evolution.folder} (")
    assert any(line.startswith("--- a/") for line in out)  # a unified diff, capped per file
    assert any(line.startswith("+") and "who: str" in line for line in out)
    assert "breaking: /greet: input 'name' renamed to 'who'" in out
    assert "breaking: /legacy: endpoint removed or made private" in out
    assert evolution.after_check == evolution.before_check  # --check wrote nothing


def test_diff_classifies_the_live_change(evolution: Evolution) -> None:
    assert evolution.diff_json.exit_code == 1  # breaking changes fail by default
    doc = json.loads(evolution.diff_json.stdout)
    found = {(c["kind"], c["endpoint"], c["severity"]) for c in doc["changes"]}
    assert found == {
        ("input-renamed", "greet", "breaking"),
        ("choice-removed", "greet", "breaking"),
        ("input-added-optional", "greet", "non-breaking"),
        ("output-count-changed", "count", "breaking"),
        ("endpoint-removed", "legacy", "breaking"),
        ("endpoint-added", "shout", "non-breaking"),
    }
    assert doc["counts"] == {"breaking": 4, "non-breaking": 2}
    assert "**4 breaking**, 2 non-breaking." in evolution.diff_markdown.stdout


def test_config_file_drives_several_live_apps(
    live_apps: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = "".join(
        f'[[tool.gradio-codegen.apps]]\nsrc = "{url}"\noutput = "clients/{name}"\n'
        for name, url in sorted(live_apps.items())
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "consumer"\n\n[tool.gradio-codegen]\ntimeout = 60\n\n' + entries,
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, [])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("wrote ") == len(live_apps)
    for name in live_apps:
        assert list((tmp_path / "clients" / name / "python").glob("*/client.py")), name
    before = snapshot(tmp_path / "clients")

    result = runner.invoke(main, ["--check"])
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()) == [
        f"up to date: clients/{name}" for name in sorted(live_apps)
    ]

    (tmp_path / "clients" / "chat" / "python" / "notes.md").write_text("mine", encoding="utf-8")
    next((tmp_path / "clients" / "media" / "python").glob("*/client.py")).write_text("x")
    result = runner.invoke(main, ["--check"])
    assert result.exit_code == 1
    assert "out of date: clients/media (1 file differs)" in result.stdout
    assert "up to date: clients/chat" in result.stdout  # the user's notes are not drift

    assert runner.invoke(main, []).exit_code == 0
    assert snapshot(tmp_path / "clients") == {**before, "chat/python/notes.md": b"mine"}
