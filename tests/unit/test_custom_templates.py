"""--templates DIR: overrides of built-in templates, new targets from the model JSON, the
naming and literal filters, the sandbox, and one-line template errors that write nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.lock import LOCK_NAME
from codegen.model_json import model_json
from codegen.parse import parse
from codegen.pipeline import Options, plan
from codegen.render import FILTERS, templates_dir
from codegen.source import read_source
from tests.folders import snapshot
from tests.paths import ROOT, SCHEMAS

SRC = SCHEMAS / "e2e_basics"
HOSTILE = "Ö'\"$(x)`\\\n\t\u2028\U0001f600\ud800*/ -- ${x}\x00"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return CliRunner()


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _plan(templates: Path | None, targets: tuple[str, ...] | None = None) -> dict[str, str]:
    raw = read_source(str(SRC), None)
    files = plan(raw, Options(name="x", targets=targets, templates=templates))[1]
    return {str(f.relpath): f.text for f in files}


# -- overrides ------------------------------------------------------------------------------


def test_a_copy_of_every_built_in_template_renders_the_same_bytes_in_the_sandbox(
    tmp_path: Path,
) -> None:
    shutil.copytree(templates_dir(), tmp_path / "t")
    assert _plan(tmp_path / "t") == _plan(None)


def test_a_file_replaces_the_built_in_template_of_its_path_and_nothing_else(
    tmp_path: Path,
) -> None:
    builtin = (templates_dir() / "curl" / "endpoint.sh.jinja").read_text(encoding="utf-8")
    first, rest = builtin.split("\n", 1)
    ours = _write(tmp_path / "t", {"curl/endpoint.sh.jinja": f"{first}\n# ours\n{rest}"})
    before, after = _plan(None), _plan(ours)
    assert before.keys() == after.keys()
    changed = {p for p in before if before[p] != after[p]}
    scripts = {p for p in before if p.startswith("curl/") and p.endswith(".sh")}
    assert changed == scripts and scripts
    assert all("\n# ours\n" in after[p] for p in scripts)


def test_an_override_that_matches_no_built_in_template_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    ours = _write(tmp_path / "t", {"python/clients.py.jinja": "x"})
    out = tmp_path / "out"
    result = runner.invoke(main, [str(SRC), "-o", str(out), "--templates", str(ours)])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "python/clients.py.jinja replaces no built-in template" in line
    assert "client.py.jinja" in line
    assert not out.exists()


@pytest.mark.parametrize("folder", ["docs", "Go", "openapi.json", "a b"])
def test_a_new_target_needs_a_plain_name_of_its_own(
    runner: CliRunner, tmp_path: Path, folder: str
) -> None:
    ours = _write(tmp_path / "t", {f"{folder}/x.jinja": "x"})
    result = runner.invoke(main, [str(SRC), "-o", str(tmp_path / "o"), "--templates", str(ours)])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "a new target needs a name" in result.stderr


def test_a_missing_templates_folder_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, [str(SRC), "-o", str(tmp_path / "o"), "--templates", str(tmp_path / "nope")]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: --templates {tmp_path / 'nope'}: no such folder "
        "(hint: give a folder laid out like templates/)"
    ]


# -- new targets ----------------------------------------------------------------------------

NOTES = {
    "notes/summary.txt.jinja": (
        "{% import 'notes/_macros.jinja' as m %}{{ m.title(title, package) }}\n"
        "{% for e in endpoints %}{{ e.api_name }}: "
        "{{ e.parameters | map(attribute='wire_name') | join(',') }}\n{% endfor %}"
    ),
    "notes/_macros.jinja": "{% macro title(t, p) %}# {{ t }} ({{ p }}){% endmacro %}",
    "notes/model.json.jinja": "{{ {'endpoints': endpoints, 'models': models} | json }}",
    "notes/eps/__endpoint__.md.jinja": "{{ endpoint.api_name }} fn {{ endpoint.fn_index }}",
    "notes/static/run.sh": "#!/bin/sh\necho hi\n",
    "notes/.hidden": "no",
}


def test_a_new_target_renders_from_the_model_json(tmp_path: Path) -> None:
    ours = _write(tmp_path / "t", NOTES)
    (ours / "notes/static/run.sh").chmod(0o755)
    files = _plan(ours)
    notes = {p: t for p, t in files.items() if p.startswith("notes/")}
    model = model_json(parse(read_source(str(SRC), None)))
    endpoints = [e["api_name"] for e in model["endpoints"]]  # type: ignore[index]
    assert set(notes) == {
        "notes/summary.txt",
        "notes/model.json",
        "notes/static/run.sh",
        *(f"notes/eps/{name}.md" for name in endpoints),
    }
    assert notes["notes/summary.txt"].startswith("# basics (x)\ncalculate: a,operation,b\n")
    assert json.loads(notes["notes/model.json"]) == {
        "endpoints": model["endpoints"],
        "models": model["models"],
    }
    assert notes["notes/eps/greet.md"].startswith("greet fn ")
    assert notes["notes/static/run.sh"] == NOTES["notes/static/run.sh"]
    executable = {
        str(f.relpath)
        for f in plan(read_source(str(SRC), None), Options(templates=ours))[1]
        if f.executable
    }
    assert "notes/static/run.sh" in executable
    # the built-in targets are untouched by a new one
    assert {p: t for p, t in files.items() if not p.startswith("notes/")} == _plan(None)


def test_a_per_endpoint_file_is_named_by_the_naming_layer(tmp_path: Path) -> None:
    ours = _write(tmp_path / "t", {"n/__endpoint__.txt.jinja": "{{ endpoint.api_name }}"})
    raw = read_source(str(SCHEMAS / "hostile" / "paths"), None)
    files = plan(raw, Options(targets=("n",), templates=ours))[1]
    names = [f.relpath.name for f in files]
    assert len(names) == len(set(names)) == len(parse(raw).endpoints)
    assert all(re.fullmatch(r"[a-z0-9_]+\.txt", n) for n in names), names
    assert all(f.relpath.parent.as_posix() == "n" for f in files)


def test_the_new_target_is_written_locked_and_regenerated(
    runner: CliRunner, tmp_path: Path
) -> None:
    ours = _write(tmp_path / "t", NOTES)
    out = tmp_path / "out"
    result = runner.invoke(
        main, [str(SRC), "-o", str(out), "--templates", str(ours), "--targets", "notes"]
    )
    assert result.exit_code == 0, result.output
    lock = json.loads((out / LOCK_NAME).read_text())
    assert lock["targets"] == ["notes"]
    assert lock["options"]["templates"] == "../t"
    assert "notes/summary.txt" in lock["files"] and "notes/.hidden" not in lock["files"]
    assert {p.name for p in out.iterdir()} == {
        "notes",
        LOCK_NAME,
        "openapi.json",
        "info.json",
        "config.json",
    }
    assert runner.invoke(main, ["regen", str(out), "--check"]).exit_code == 0
    # a template changed: regen --check sees it, regen writes it
    (ours / "notes/summary.txt.jinja").write_text("changed {{ title }}\n")
    assert runner.invoke(main, ["regen", str(out), "--check"]).exit_code == 1
    assert runner.invoke(main, ["regen", str(out)]).exit_code == 0
    assert (out / "notes/summary.txt").read_text() == "changed basics\n"


def test_a_copied_file_keeps_its_bytes_crlf_included(runner: CliRunner, tmp_path: Path) -> None:
    ours = tmp_path / "t"
    data = "line one\r\nline two \r\n\u00e9\r\n".encode()
    (ours / "notes").mkdir(parents=True)
    (ours / "notes" / "script.bat").write_bytes(data)
    out = tmp_path / "out"
    args = [str(SRC), "-o", str(out), "--templates", str(ours), "--targets", "notes"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (out / "notes" / "script.bat").read_bytes() == data
    assert runner.invoke(main, ["regen", str(out), "--check"]).exit_code == 0


# -- errors and the sandbox -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("one\ntwo {{ nope }}\n", 2, "'nope' is undefined"),
        (
            "{% for e in endpoints %}\n{{ e.missing }}\n{% endfor %}",
            2,
            "has no attribute 'missing'",
        ),
        ("a\nb\n{% if %}\n", 3, "Expected an expression"),
        ("{{ ''.__class__.__mro__ }}", 1, "__class__"),
        ("\n{{ title.format.__globals__ }}", 2, ""),
        ("{% include 'n/missing.jinja' %}", 1, "template not found: n/missing.jinja"),
    ],
)
def test_a_template_error_is_one_line_naming_file_and_line_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, template: str, line: int, message: str
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, [str(SRC), "-o", str(out)]).exit_code == 0
    before = snapshot(out)
    ours = _write(tmp_path / "t", {"n/ok.txt.jinja": "fine", "n/bad.txt.jinja": template})
    result = runner.invoke(main, [str(SRC), "-o", str(out), "--templates", str(ours)])
    assert result.exit_code == 2, result.output
    (shown,) = result.stderr.splitlines()
    assert shown.startswith(f"error: {ours}/n/bad.txt.jinja, line {line}: ")
    assert message in shown
    assert snapshot(out) == before


def test_an_override_s_error_names_the_user_s_file(runner: CliRunner, tmp_path: Path) -> None:
    ours = _write(tmp_path / "t", {"js/package.json.jinja": "{\n{{ no_such_field }}\n}"})
    result = runner.invoke(main, [str(SRC), "-o", str(tmp_path / "o"), "--templates", str(ours)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {ours}/js/package.json.jinja, line 2: ")
    assert not (tmp_path / "o").exists()


def test_an_override_that_renders_no_python_is_the_user_s_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The formatter never sees it: one line naming the template, exit 2, not a bug of ours."""
    ours = _write(tmp_path / "t", {"python/client.py.jinja": "def (:\n"})
    result = runner.invoke(main, [str(SRC), "-o", str(tmp_path / "o"), "--templates", str(ours)])
    assert result.exit_code == 2, result.output
    (shown,) = result.stderr.splitlines()
    assert shown.startswith(f"error: {ours}/python/client.py.jinja: renders Python that does not")
    assert "internal error" not in shown and not (tmp_path / "o").exists()


# -- filters --------------------------------------------------------------------------------


def test_identifier_filters_are_valid_distinct_and_avoid_reserved_words() -> None:
    names = ["type", "Type", "", "1x", "a b", "a_b", "ÄÖ", "func", "Client"]
    for style, pattern in [
        ("go_exported", r"[A-Z][A-Za-z0-9_]*"),
        ("go_ident", r"[a-z_][A-Za-z0-9_]*"),
        ("py_ident", r"[A-Za-z_][A-Za-z0-9_]*"),
        ("js_ident", r"[A-Za-z_$][A-Za-z0-9_$]*"),
        ("file_stem", r"[a-z0-9_]+"),
    ]:
        made = FILTERS[style](names, ["Client", "client"])
        assert len(made) == len(set(made)) == len(names), (style, made)
        assert all(re.fullmatch(pattern, n) for n in made), (style, made)
        assert "Client" not in made and "client" not in made
    assert FILTERS["go_ident"]("type") == "type_"
    assert FILTERS["go_ident"]("func") == "func_"
    assert FILTERS["py_ident"]("class") == "class_"
    assert FILTERS["go_exported"]("hello world") == "HelloWorld"
    assert FILTERS["go_package"]("main") != "main"


def _go_unquote(literal: str) -> str:
    """Reads back the escapes go_str writes (a subset of Go's)."""
    assert literal.startswith('"') and literal.endswith('"') and literal.isascii()
    body = re.sub(r"\\U([0-9a-f]{8})", lambda m: chr(int(m.group(1), 16)), literal[1:-1])
    return str(json.loads('"' + body + '"'))


def test_literal_filters_give_back_the_text() -> None:
    import ast

    text = HOSTILE.replace("\ud800", "")
    assert _go_unquote(FILTERS["go_str"](text)) == text
    assert _go_unquote(FILTERS["go_str"]("\ud800")) == "\ufffd"
    assert ast.literal_eval(FILTERS["py_value"](HOSTILE)) == HOSTILE
    assert json.loads(FILTERS["js_value"](HOSTILE)) == HOSTILE
    assert FILTERS["sh_str"]("it's") == "'it'\\''s'"
    assert json.loads(FILTERS["json"]({"a": [1, None]})) == {"a": [1, None]}
    for name in ("go_comment", "comment"):
        assert "\n" not in FILTERS[name](HOSTILE) and "\ufeff" not in FILTERS["go_comment"](
            "a\ufeffb"
        )


def test_the_go_example_ships_in_the_checkout() -> None:
    """The worked example of the README; tests/e2e/test_go_client.py runs what it makes."""
    assert (ROOT / "examples" / "templates" / "go" / "client.go.jinja").is_file()
    files = _plan(ROOT / "examples" / "templates", ("go",))
    assert set(files) == {"go/client.go", "go/runtime.go", "go/go.mod"}
    assert files["go/go.mod"] == "module gradioclient/x\n\ngo 1.19\n"


def test_the_config_s_templates_key_is_relative_to_the_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    _write(tmp_path / "tpl", {"n/names.txt.jinja": "{{ endpoints | length }}"})
    config = tmp_path / "gradio-codegen.toml"
    config.write_text(
        f'templates = "tpl"\ntargets = ["n"]\n[[apps]]\nsrc = "{SRC}"\noutput = "a"\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--config", str(config)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "n" / "names.txt").read_text() == "7\n"
    assert runner.invoke(main, ["--config", str(config), "--check"]).exit_code == 0
