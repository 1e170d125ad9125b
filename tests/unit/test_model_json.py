"""``gradio-codegen model SRC``: the intermediate model as JSON, checked against the schema the
package ships (``codegen/model.schema.json``) for every fixture and every corpus capture."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SchemaError
from codegen.model_json import MODEL_VERSION, SCHEMA_PATH, dumps, model_json
from codegen.parse import parse
from codegen.source import read_source
from tests.paths import CORPUS_VERSIONS, ROOT, SCHEMAS, corpus

FOLDERS = sorted(
    [p for p in SCHEMAS.iterdir() if p.is_dir() and p.name != "hostile"]
    + [p for p in (SCHEMAS / "hostile").iterdir() if p.is_dir()]
    + [p for v in CORPUS_VERSIONS for p in corpus(v).iterdir() if p.is_dir()]
)


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _model(folder: Path) -> dict[str, Any] | None:
    try:
        app = parse(read_source(str(folder), None))
    except SchemaError:
        return None  # the generator refuses it too; the model command says so (below)
    return json.loads(dumps(app))


def test_enough_fixtures_are_checked() -> None:
    assert len(FOLDERS) > 150
    refused = [f for f in FOLDERS if _model(f) is None]
    assert len(refused) < len(FOLDERS) // 10, refused


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_fixture_s_model_matches_the_schema(folder: Path) -> None:
    model = _model(folder)
    if model is None:
        return
    errors = sorted(validator().iter_errors(model), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert model["model_version"] == MODEL_VERSION


def test_the_schema_rejects_what_breaks_the_contract() -> None:
    """The check above could fail: a model without a key or with a wrong kind is invalid."""
    model = _model(SCHEMAS / "e2e_basics")
    assert model is not None
    broken = json.loads(json.dumps(model))
    del broken["endpoints"][0]["parameters"][0]["wire_name"]
    assert not validator().is_valid(broken)
    broken = json.loads(json.dumps(model))
    broken["endpoints"][0]["outputs"][0]["type"]["kind"] = "string"
    assert not validator().is_valid(broken)
    assert not validator().is_valid({**model, "model_version": 2})


def test_the_model_holds_names_types_defaults_choices_state_and_fn_indexes() -> None:
    model = _model(SCHEMAS / "e2e_basics")
    assert model is not None
    assert (model["protocol"], model["api_prefix"]) == ("queue", "/gradio_api")
    pick = next(e for e in model["endpoints"] if e["api_name"] == "pick")
    single = next(p for p in pick["parameters"] if p["wire_name"] == "single")
    assert single["choices"] and "dog" in single["choices"]
    assert single["type"]["kind"] == "literal" and single["has_default"] is True
    assert isinstance(pick["fn_index"], int)
    chat = _model(SCHEMAS / "e2e_chat")
    assert chat is not None
    increment = next(e for e in chat["endpoints"] if e["api_name"] == "increment")
    assert increment["state_inputs"] and increment["wire_outputs"] is not None
    media = _model(SCHEMAS / "e2e_media")
    assert media is not None
    image = next(e for e in media["endpoints"] if e["api_name"] == "image_info")
    assert image["takes_files"] is True
    assert image["parameters"][0]["files"] == "file"
    legacy = _model(SCHEMAS / "hello_world_3.50.2")
    assert legacy is not None and legacy["protocol"] == "oneshot"


def test_the_text_is_sorted_and_the_same_every_time() -> None:
    app = parse(read_source(str(SCHEMAS / "kitchen_sink"), None))
    text = dumps(app)
    assert text == dumps(parse(read_source(str(SCHEMAS / "kitchen_sink"), None)))
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert json.loads(text) == json.loads(json.dumps(model_json(app)))


def test_the_command_prints_it_for_a_schema_and_a_generated_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    src = SCHEMAS / "e2e_basics"
    result = runner.invoke(main, ["model", str(src), "--base-url", "http://127.0.0.1:9/"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["base_url"] == "http://127.0.0.1:9"
    assert validator().is_valid(printed)
    out = tmp_path / "out"
    assert runner.invoke(main, [str(src), "-o", str(out)]).exit_code == 0
    from_folder = runner.invoke(main, ["model", str(out)])
    assert from_folder.exit_code == 0
    # the saved config.json names the app's root, where a saved schema's clients call
    assert json.loads(from_folder.stdout) == {**printed, "base_url": "http://127.0.0.1:47567"}


def test_a_source_that_is_not_an_app_is_one_line_and_its_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "openapi.json"
    bad.write_text('{"openapi": "3.0.0", "paths": {}}')
    result = CliRunner().invoke(main, ["model", str(bad)])
    assert result.exit_code in (4, 5)
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1


def test_the_schema_ships_in_the_wheel(tmp_path: Path) -> None:
    wheel_options = ["-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path)]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *wheel_options, str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    assert "codegen/model.schema.json" in zipfile.ZipFile(wheel).namelist()
