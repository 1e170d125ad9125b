"""--targets (and the config's ``targets``): only the chosen outputs are written, the lock
records the choice, and --check and regen keep to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.lock import LOCK_NAME
from codegen.pipeline import Options, plan, plan_folder
from codegen.source import read_source
from tests.folders import snapshot
from tests.paths import SCHEMAS

SRC = SCHEMAS / "e2e_basics"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return CliRunner()


def _tops(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()}


SAVED = {LOCK_NAME, "openapi.json", "info.json", "config.json"}


@pytest.mark.parametrize(
    ("targets", "tops"),
    [
        ("python", {"python"}),
        ("js,curl", {"js", "curl"}),
        ("docs", {"README.md"}),
        ("python,js,curl,docs", {"python", "js", "curl", "README.md"}),
    ],
)
def test_only_the_chosen_outputs_are_written(
    runner: CliRunner, tmp_path: Path, targets: str, tops: set[str]
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, [str(SRC), "-o", str(out), "--targets", targets])
    assert result.exit_code == 0, result.output
    assert _tops(out) == tops | SAVED
    lock = json.loads((out / LOCK_NAME).read_text())
    assert set(lock["files"]) == {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name not in SAVED
    }
    assert lock["targets"] == [t for t in ("python", "js", "curl", "docs") if t in targets]


def test_chosen_files_are_byte_identical_to_a_full_run() -> None:
    raw = read_source(str(SRC), None)
    full = {f.relpath: f.text for f in plan(raw, Options(name="x"))[1]}
    some = {f.relpath: f.text for f in plan(raw, Options(name="x", targets=("js", "docs")))[1]}
    assert some and all(full[p] == text for p, text in some.items())
    assert {p.parts[0] for p in some} == {"js", "README.md"}


def test_the_default_lock_has_no_targets_key() -> None:
    """A run of every target writes the lock it always did (generated_examples/ holds them)."""
    raw = read_source(str(SRC), None)
    files = {str(f.relpath): f.text for f in plan_folder(raw, Options(), "src")[1]}
    assert "targets" not in json.loads(files[LOCK_NAME])


@pytest.mark.parametrize("targets", ["python,rust", "Python", ",", "docs,apipage"])
def test_an_unknown_target_is_one_line_naming_the_known_ones_exit_2(
    runner: CliRunner, tmp_path: Path, targets: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, [str(SRC), "-o", str(out), "--targets", targets])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert lines[0].endswith("the known targets are python, js, curl, docs, mcp")
    assert not out.exists()


def test_check_and_regen_keep_to_the_lock_s_targets(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, [str(SRC), "-o", str(out), "--targets", "python"]).exit_code == 0
    before = snapshot(out)
    result = runner.invoke(main, [str(SRC), "-o", str(out), "--targets", "python", "--check"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["regen", str(out), "--check"]).exit_code == 0
    assert runner.invoke(main, ["regen", str(out)]).exit_code == 0
    assert snapshot(out) == before  # regen wrote python/ only, as the lock says
    # all targets now: --check sees the missing outputs and the changed lock
    result = runner.invoke(main, [str(SRC), "-o", str(out), "--check"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"out of date: {out}")
    assert "+++ b/README.md" in result.stdout  # the API page, which python/ alone lacked


def test_dropping_a_target_removes_its_files_and_keeps_the_user_s(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, [str(SRC), "-o", str(out)]).exit_code == 0
    (out / "js" / "mine.txt").write_text("my own")
    assert runner.invoke(main, [str(SRC), "-o", str(out), "--targets", "js"]).exit_code == 0
    assert _tops(out) == {"js"} | SAVED
    assert (out / "js" / "mine.txt").read_text() == "my own"


def test_the_config_s_targets_top_level_and_per_app(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(
        f'targets = ["curl"]\n[[apps]]\nsrc = "{SRC}"\noutput = "a"\n'
        f'[[apps]]\nsrc = "{SRC}"\noutput = "b"\ntargets = "python,docs"\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == 0, result.output
    assert _tops(tmp_path / "a") == {"curl"} | SAVED
    assert _tops(tmp_path / "b") == {"python", "README.md"} | SAVED
    assert runner.invoke(main, ["--config", str(config), "--check"]).exit_code == 0
    # --targets on the command line wins over the config
    result = runner.invoke(main, ["--config", str(config), "--targets", "js"])
    assert result.exit_code == 0, result.output
    assert _tops(tmp_path / "a") == _tops(tmp_path / "b") == {"js"} | SAVED


def test_a_config_with_bad_targets_says_so(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(f'[[apps]]\nsrc = "{SRC}"\noutput = "a"\ntargets = [1]\n')
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == 4
    assert "targets must be a list of names" in result.stderr
    config.write_text(f'[[apps]]\nsrc = "{SRC}"\noutput = "a"\ntargets = ["go"]\n')
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == 2
    assert "unknown target 'go'" in result.stderr
    assert not (tmp_path / "a").exists()
