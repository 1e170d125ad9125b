"""The command line through click's CliRunner: exit codes, one-line errors, -v tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import OutputError, SchemaError, SourceError
from tests.folders import snapshot
from tests.paths import SCHEMAS

HELLO = SCHEMAS / "hello_world"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return CliRunner()


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_generates_from_saved_openapi(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, [str(HELLO / "openapi.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    clients = list((out / "python").glob("*/client.py"))
    assert len(clients) == 1
    assert (clients[0].parent / "_runtime" / "__init__.py").is_file()
    assert (out / "python" / "pyproject.toml").is_file()
    compile(clients[0].read_text(encoding="utf-8"), str(clients[0]), "exec")
    assert "wrote" in result.stdout and "1 endpoints" in result.stdout
    assert "Traceback" not in result.stderr


def test_name_option_sets_package(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, [str(HELLO / "openapi.json"), "-o", str(tmp_path), "--name", "My Client"]
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "python" / "my_client" / "client.py").is_file()


def test_rerun_keeps_user_files(runner: CliRunner, tmp_path: Path) -> None:
    args = [str(HELLO / "openapi.json"), "-o", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    (tmp_path / "mine.txt").write_text("mine", encoding="utf-8")
    first = snapshot(tmp_path)
    assert runner.invoke(main, args).exit_code == 0
    assert snapshot(tmp_path) == first  # deterministic output, user file untouched


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, [str(tmp_path / "missing.json"), "-o", str(tmp_path / "o")])
    assert result.exit_code == SourceError.exit_code
    _one_error_line(result.stderr)
    assert result.stdout == ""
    assert not (tmp_path / "o").exists()


def test_invalid_json(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "openapi.json"
    bad.write_text("{ nope", encoding="utf-8")
    result = runner.invoke(main, [str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == SourceError.exit_code
    line = _one_error_line(result.stderr)
    assert "not valid JSON" in line and "hint:" in line


def test_schema_error_exit_code(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "info.json"
    doc.write_text(json.dumps({"named_endpoints": {}}), encoding="utf-8")
    result = runner.invoke(main, [str(doc), "-o", str(tmp_path / "o")])
    assert result.exit_code == SchemaError.exit_code
    _one_error_line(result.stderr)


def test_output_error_exit_code(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(main, [str(HELLO / "openapi.json"), "-o", str(blocker / "sub")])
    assert result.exit_code == OutputError.exit_code
    _one_error_line(result.stderr)


def test_verbose_shows_traceback(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, [str(tmp_path / "missing.json"), "-o", str(tmp_path), "-v"])
    assert result.exit_code == SourceError.exit_code
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("error: ")


def test_internal_error_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import codegen.pipeline

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(codegen.pipeline, "publish", boom)
    result = runner.invoke(main, [str(HELLO / "openapi.json"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    line = _one_error_line(result.stderr)
    assert "internal error" in line and "KeyError" in line and "-v" in line


def test_failed_run_leaves_existing_output_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, [str(HELLO / "openapi.json"), "-o", str(out)]).exit_code == 0
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)

    src = tmp_path / "broken"
    src.mkdir()
    (src / "openapi.json").write_text("{ broken", encoding="utf-8")
    result = runner.invoke(main, [str(src / "openapi.json"), "-o", str(out)])
    assert result.exit_code == SourceError.exit_code

    empty = tmp_path / "empty_info.json"
    empty.write_text(json.dumps({"named_endpoints": {}}), encoding="utf-8")
    assert runner.invoke(main, [str(empty), "-o", str(out)]).exit_code == SchemaError.exit_code

    assert snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_warnings_go_to_stderr(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(HELLO / "openapi.json", src / "openapi.json")
    result = runner.invoke(main, [str(src / "openapi.json"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "no info.json" in result.stderr
    assert "warning:" not in result.stdout


def test_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for opt in ("--output", "--name", "--token", "--base-url", "--verbose"):
        assert opt in result.stdout
    assert runner.invoke(main, ["-h"]).exit_code == 0


def test_output_is_required(runner: CliRunner) -> None:
    result = runner.invoke(main, ["abidlabs/whisper"])
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "gradio-codegen" in result.stdout


def test_space_id_is_fetched_from_its_host_and_the_token_is_never_written(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Hub (here respx) names the host; the token goes to it as Authorization and to the
    app as x-hf-authorization only."""
    import respx
    from httpx import Response

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.test")
    docs = {name: json.loads((HELLO / f"{name}.json").read_text()) for name in ("openapi", "info")}
    with respx.mock(assert_all_called=False) as mock:
        host = "https://some-one-my-app-2.hf.space"
        space = mock.get("https://hub.test/api/spaces/Some_One/My.App_2").mock(
            return_value=Response(
                200,
                json={
                    "id": "Some_One/My.App_2",
                    "host": host,
                    "sdk": "gradio",
                    "runtime": {"stage": "RUNNING"},
                },
            )
        )
        openapi = mock.get(f"{host}/gradio_api/openapi.json").mock(
            return_value=Response(200, json=docs["openapi"])
        )
        mock.get(f"{host}/gradio_api/info").mock(return_value=Response(200, json=docs["info"]))
        mock.get(f"{host}/config").mock(return_value=Response(404))
        out = tmp_path / "out"
        result = runner.invoke(main, ["Some_One/My.App_2", "-o", str(out), "--token", "hf_SECRET"])
    assert result.exit_code == 0, result.output + result.stderr
    assert space.calls.last.request.headers["Authorization"] == "Bearer hf_SECRET"
    sent = openapi.calls.last.request.headers
    assert sent["x-hf-authorization"] == "Bearer hf_SECRET" and "Authorization" not in sent
    client = (out / "python" / "my_app_2" / "client.py").read_text()
    assert f'BASE_URL = "{host}"' in client
    for path in out.rglob("*"):
        if path.is_file():
            assert b"hf_SECRET" not in path.read_bytes(), path


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    """A server's text (here a path, in the error) is printed with its escapes written out."""
    missing = tmp_path / "\x1b]0;pwned\x07\x1b[2J\x9b31m.json"
    result = CliRunner().invoke(main, [str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code == 4
    assert result.output.startswith("error: ") and result.output.count("\n") == 1
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in result.output)
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m" in result.output
