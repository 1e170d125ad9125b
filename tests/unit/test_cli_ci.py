"""What a CI job relies on, offline: a folder the tool did not write is never written over,
a config run can pick one app, ``regen --check`` checks every configured folder, another
formatter that makes the same bytes is no drift, and ``--summary`` reports in Markdown.

tests/e2e/test_ci_restart.py restarts live apps; tests/e2e/test_ci_tools.py runs the
pre-commit hook, the Action's checks and the formatter venv.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SourceError, UnownedFolderError
from codegen.lock import LOCK_NAME
from tests.folders import snapshot
from tests.paths import SCHEMAS


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return CliRunner()


def _schema(name: str, dest: Path) -> Path:
    shutil.copytree(SCHEMAS / name, dest)
    return dest / "openapi.json"


def test_a_folder_with_files_and_no_lock_is_refused_and_left_as_it_was(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = _schema("calculator", tmp_path / "schema")
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").write_text("my project\n", encoding="utf-8")
    (project / "openapi.json").write_text("{}\n", encoding="utf-8")
    before = snapshot(project)
    result = runner.invoke(main, [str(src), "-o", str(project)])
    assert result.exit_code == UnownedFolderError.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "(README.md, openapi.json) and holds no gradio-codegen.lock" in result.stderr
    assert "--overwrite" in result.stderr
    assert snapshot(project) == before

    result = runner.invoke(main, [str(src), "-o", str(project), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert (project / LOCK_NAME).is_file() and (project / "README.md").read_text() != "my project\n"
    # from now on the folder has a lock: runs work as before, the user's own files stay
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, [str(src), "-o", str(project)])
    assert result.exit_code == 0, result.output
    assert (project / "notes.txt").read_text() == "mine"


def test_a_new_or_empty_folder_needs_no_flag(runner: CliRunner, tmp_path: Path) -> None:
    src = _schema("calculator", tmp_path / "schema")
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        result = runner.invoke(main, [str(src), "-o", str(out)])
        assert result.exit_code == 0, result.output


def _config(tmp_path: Path) -> Path:
    _schema("calculator", tmp_path / "schemas" / "calc")
    _schema("hello_world", tmp_path / "schemas" / "hello")
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(
        '[[apps]]\nsrc = "schemas/calc/openapi.json"\noutput = "clients/calc"\n'
        '[[apps]]\nsrc = "schemas/hello"\noutput = "clients/hello"\nname = "hi"\n',
        encoding="utf-8",
    )
    return config


def test_a_config_run_checks_one_app_by_name(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, []).exit_code == 0
    (tmp_path / "clients" / "hello" / "README.md").write_text("edited", encoding="utf-8")
    for name in ("calc", "clients/calc", "schemas/calc/openapi.json"):  # folder, output, src
        result = runner.invoke(main, ["--check", "--app", name])
        assert (result.exit_code, result.stdout) == (0, "up to date: clients/calc\n"), name
    result = runner.invoke(main, ["--check", "--app", "hi"])  # its name
    assert result.exit_code == 1 and result.stdout.startswith("out of date: clients/hello (")
    result = runner.invoke(main, ["regen", "--check", "--app", "calc", "--app", "hello"])
    assert result.exit_code == 1 and result.stdout.count("date: clients/") == 2
    result = runner.invoke(main, ["--check", "--app", "nope"])
    assert result.exit_code == 2
    config = tmp_path / "gradio-codegen.toml"
    assert result.stderr == f"error: no app 'nope' in {config} (hint: its apps: calc, hi)\n"


def test_regen_check_without_a_folder_checks_every_configured_app_offline(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, []).exit_code == 0
    shutil.rmtree(tmp_path / "schemas")  # offline: the folders alone
    result = runner.invoke(main, ["regen", "--check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "up to date: clients/calc\nup to date: clients/hello\n"
    client = next((tmp_path / "clients" / "calc" / "python").glob("*/client.py"))
    client.write_text(client.read_text() + "# hand edit\n", encoding="utf-8")
    result = runner.invoke(main, ["regen", "--check", "--config", str(config)])
    assert result.exit_code == 1
    assert "out of date: clients/calc (1 file differs)" in result.stdout
    assert "-# hand edit" in result.stdout and "up to date: clients/hello" in result.stdout
    assert runner.invoke(main, ["regen"]).exit_code == 0  # restores it
    assert runner.invoke(main, ["regen", "--check"]).exit_code == 0


def test_a_lock_naming_another_formatter_is_no_drift_when_the_bytes_are_the_same(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = _schema("calculator", tmp_path / "schema")
    out = tmp_path / "out"
    assert runner.invoke(main, [str(src), "-o", str(out)]).exit_code == 0
    lock = out / LOCK_NAME
    doc = json.loads(lock.read_text(encoding="utf-8"))
    now = doc["formatter"]
    doc["formatter"] = "ruff 0.17.0 + black 25.1.0"  # as another machine wrote it
    lock.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    before = snapshot(out)
    for args in ([str(src), "-o", str(out), "--check"], ["regen", str(out), "--check"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.stdout == (
            f"up to date: {out} (its lock names ruff 0.17.0 + black 25.1.0; {now} made the "
            "same bytes)\n"
        )
    assert runner.invoke(main, ["regen", str(out)]).exit_code == 0
    assert snapshot(out) == before  # the lock is kept: nothing to commit

    client = next((out / "python").glob("*/client.py"))
    client.write_text(client.read_text() + "\n\n# other layout\n", encoding="utf-8")
    result = runner.invoke(main, ["regen", str(out), "--check"])
    assert result.exit_code == 1  # bytes that differ are drift, whatever the formatter
    assert "1 Python file was formatted by ruff 0.17.0 + black 25.1.0" in result.stdout


def test_summary_is_markdown_with_the_diff_the_api_table_and_the_errors(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, []).exit_code == 0
    for name in ("openapi.json", "info.json"):  # the app renamed an input
        path = tmp_path / "schemas" / "calc" / name
        path.write_text(path.read_text().replace('"num1"', '"first"'), encoding="utf-8")
    shutil.rmtree(tmp_path / "schemas" / "hello")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = runner.invoke(main, ["--check", "--summary", str(summary)])
    assert result.exit_code == SourceError.exit_code  # an error outranks drift
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## gradio-codegen --check\n")  # appended
    assert "### `clients/calc`: out of date (" in text
    assert "```diff\n--- a/" in text and "+        first_: float," in text
    assert "| breaking | `/predict` | input 'num1' renamed to 'first' |" in text
    assert "### Errors\n\n```text\nerror: " in text and "schemas/hello" in text
    assert result.stderr.splitlines()[0] in text  # the same error line as the terminal's

    summary.unlink()
    result = runner.invoke(main, ["regen", "--check", "--app", "hello", "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    assert summary.read_text() == "## gradio-codegen --check\n\n- `clients/hello`: up to date\n\n"
