"""Regenerating in CI from the command line: --check, regen, diff and the config file.

Offline, on saved schemas; tests/e2e/test_regen_live.py does the same against live apps.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import OutputError, SourceError
from tests.folders import snapshot
from tests.paths import SCHEMAS

FIXTURES = SCHEMAS


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return CliRunner()


def _copy(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest)
    return dest / "openapi.json"


def _rename_input(schema_dir: Path, old: str, new: str) -> None:
    """What a Space does when its author renames a function argument."""
    for name in ("openapi.json", "info.json"):
        path = schema_dir / name
        path.write_text(path.read_text().replace(f'"{old}"', f'"{new}"'), encoding="utf-8")


def test_check_is_0_when_up_to_date_and_1_with_diff_and_api_changes(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = _copy("calculator", tmp_path / "app")
    out = tmp_path / "out"
    assert runner.invoke(main, [str(src), "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, [str(src), "-o", str(out), "--check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"up to date: {out}\n"

    _rename_input(src.parent, "num1", "first")
    before = snapshot(out)
    result = runner.invoke(main, [str(src), "-o", str(out), "--check"])
    assert result.exit_code == 1, result.output
    assert snapshot(out) == before  # --check writes nothing
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"out of date: {out} (")
    assert "-  num1: number;" in lines and "+  first: number;" in lines
    assert '-version = "0.1.0"' in lines and '+version = "1.0.0"' in lines  # breaking: major
    assert "breaking: /predict: input 'num1' renamed to 'first'" in lines
    assert result.stderr == ""


def test_check_on_a_folder_never_generated_is_drift(runner: CliRunner, tmp_path: Path) -> None:
    empty, full = tmp_path / "empty", tmp_path / "full"
    empty.mkdir()
    result = runner.invoke(main, [str(FIXTURES / "hello_world"), "-o", str(empty), "--check"])
    assert result.exit_code == 1
    assert list(empty.iterdir()) == []
    assert runner.invoke(main, [str(FIXTURES / "hello_world"), "-o", str(full)]).exit_code == 0
    count = sum(1 for p in full.rglob("*") if p.is_file())
    assert result.stdout.startswith(f"out of date: {empty} ({count} files differ)\n--- /dev/null")


def test_long_diffs_are_cut(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [str(FIXTURES / "kitchen_sink" / "openapi.json"), "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    client = next(out.glob("python/*/client.py"))
    client.write_text("", encoding="utf-8")
    result = runner.invoke(main, [*args, "--check"])
    assert result.exit_code == 1
    assert "more diff lines" in result.stdout
    assert len(result.stdout.splitlines()) < 80
    assert "no API changes" in result.stdout


def test_regen_restores_the_folder_offline(runner: CliRunner, tmp_path: Path) -> None:
    src = _copy("e2e_basics", tmp_path / "app")
    out = tmp_path / "out"
    assert runner.invoke(main, [str(src), "-o", str(out), "--name", "basics_client"]).exit_code == 0
    (out / "python" / "notes.md").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    shutil.rmtree(src.parent)
    client = out / "python" / "basics_client" / "client.py"
    client.write_text("edited", encoding="utf-8")

    result = runner.invoke(main, ["regen", str(out), "--check"])
    assert result.exit_code == 1 and "-edited" in result.stdout
    result = runner.invoke(main, ["regen", str(out)])
    assert result.exit_code == 0, result.output
    assert snapshot(out) == before
    assert runner.invoke(main, ["regen", str(out), "--check"]).exit_code == 0


def test_regen_without_a_lock_is_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["regen", str(tmp_path)])
    assert result.exit_code == SourceError.exit_code
    assert result.stderr.startswith("error: ") and "(hint: generate into it first" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_users_file_in_the_way_fails_the_run_and_changes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = [str(FIXTURES / "hello_world" / "openapi.json"), "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    lock = json.loads((out / "gradio-codegen.lock").read_text())
    # pretend the user wrote python/README.md: the lock no longer lists it
    del lock["files"]["python/README.md"]
    (out / "gradio-codegen.lock").write_text(json.dumps(lock), encoding="utf-8")
    (out / "python" / "README.md").write_text("my readme", encoding="utf-8")
    before = snapshot(out)
    result = runner.invoke(main, args)
    assert result.exit_code == OutputError.exit_code
    assert "python/README.md exists and gradio-codegen.lock does not list it" in result.stderr
    assert snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_diff_formats_and_fail_on(runner: CliRunner, tmp_path: Path) -> None:
    old = _copy("calculator", tmp_path / "old").parent
    new = _copy("calculator", tmp_path / "new").parent
    _rename_input(new, "num2", "second")

    text = runner.invoke(main, ["diff", str(old), str(new)])
    assert text.exit_code == 1
    assert text.stdout.splitlines() == [
        "breaking: /predict: input 'num2' renamed to 'second'",
        "1 breaking, 0 non-breaking",
    ]
    doc = json.loads(runner.invoke(main, ["diff", str(old), str(new), "--format", "json"]).stdout)
    assert doc["changes"][0]["kind"] == "input-renamed"
    md = runner.invoke(main, ["diff", str(old), str(new), "--format", "markdown"]).stdout
    assert "| breaking | `/predict` |" in md
    assert runner.invoke(main, ["diff", str(old), str(new), "--fail-on", "none"]).exit_code == 0

    same = runner.invoke(main, ["diff", str(old), str(old), "--fail-on", "any"])
    assert same.exit_code == 0 and same.stdout == "no API changes\n"


def test_diff_reads_a_generated_folder_through_its_lock(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, [str(FIXTURES / "calculator"), "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, ["diff", str(out), str(FIXTURES / "hello_world")])
    assert result.exit_code == 1
    assert "breaking: /predict: input 'num1' removed" in result.stdout
    assert "non-breaking" not in result.stdout.splitlines()[0]


def test_diff_with_a_bad_side_is_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["diff", str(tmp_path / "nope.json"), str(FIXTURES / "calculator")]
    )
    assert result.exit_code == SourceError.exit_code
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")


def _write_config(folder: Path, text: str, *, pyproject: bool) -> None:
    name = "pyproject.toml" if pyproject else "gradio-codegen.toml"
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("pyproject", [False, True])
def test_config_regenerates_and_checks_every_app(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pyproject: bool
) -> None:
    _copy("calculator", tmp_path / "schemas" / "calc")
    _copy("hello_world", tmp_path / "schemas" / "hello")
    prefix = "tool.gradio-codegen." if pyproject else ""
    head = '[project]\nname = "mine"\n[tool.gradio-codegen]\ntimeout = 5\n' if pyproject else ""
    _write_config(
        tmp_path,
        head
        + f'[[{prefix}apps]]\nsrc = "schemas/calc/openapi.json"\noutput = "clients/calc"\n'
        + f'[[{prefix}apps]]\nsrc = "schemas/hello"\noutput = "clients/hello"\nname = "hi"\n',
        pyproject=pyproject,
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("wrote ") == 2
    assert (tmp_path / "clients" / "hello" / "python" / "hi" / "client.py").is_file()
    lock = json.loads((tmp_path / "clients" / "calc" / "gradio-codegen.lock").read_text())
    assert lock["source"]["given"] == "../../schemas/calc/openapi.json"

    assert runner.invoke(main, ["--check"]).stdout.count("up to date: ") == 2
    _rename_input(tmp_path / "schemas" / "calc", "num1", "first")
    result = runner.invoke(main, ["--check"])
    assert result.exit_code == 1
    assert "out of date: clients/calc" in result.stdout
    assert "up to date: clients/hello" in result.stdout


def test_config_keeps_going_past_a_failing_app(runner: CliRunner, tmp_path: Path) -> None:
    _copy("hello_world", tmp_path / "hello")
    config = tmp_path / "apps.toml"
    config.write_text(
        '[[apps]]\nsrc = "missing/openapi.json"\noutput = "a"\n'
        '[[apps]]\nsrc = "hello"\noutput = "b"\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == SourceError.exit_code
    assert result.stderr.startswith("error: missing/openapi.json: ")
    assert "wrote " in result.stdout and (tmp_path / "b" / "gradio-codegen.lock").is_file()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("apps = []", "lists no apps"),
        ('[[apps]]\nsrc = "x"\n', "needs src and output"),
        ('[[apps]]\nsrc = "x"\noutput = "o"\ntypo = 1\n', "unknown keys ['typo']"),
        ('[[apps]]\nsrc = "a/b"\noutput = "o"\n[[apps]]\nsrc = "c/d"\noutput = "o"\n', "two apps"),
        ("timeout = -1\n[[apps]]\nsrc = 'a/b'\noutput = 'o'\n", "timeout must be"),
        ("[[apps]\n", "not valid TOML"),
    ],
)
def test_config_errors_are_one_line(
    runner: CliRunner, tmp_path: Path, text: str, message: str
) -> None:
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == SourceError.exit_code, result.output
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["-o", str(tmp_path)]).exit_code == 2
    bad = runner.invoke(main, ["x/y", "-o", str(tmp_path), "--config", "c.toml"])
    assert bad.exit_code == 2
    help_text = runner.invoke(main, ["diff", "--help"]).stdout
    assert "--fail-on [breaking|any|none]" in help_text and "--format" in help_text
    assert "regen DIR" in runner.invoke(main, ["--help"]).stdout
