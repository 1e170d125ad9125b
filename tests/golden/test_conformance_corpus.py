"""Every example and every recorded gradio_client result of the corpus captures (Gradio
6.31.0) conforms, at run time, to the annotation the generated Python client declares.

The values are JSON: where an annotation says tuple, they are made tuples the way the
generated runtime makes outputs (``typemap.tuple_spec``), and a multi-output result becomes
the endpoint's NamedTuple; nothing else is adjusted, so a list where a tuple is declared, a
missing or unknown key, or a string where ``FileData`` is declared fails the check.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.errors import SchemaError
from codegen.ir import App
from codegen.pipeline import Options, plan
from codegen.source import read_source
from codegen.targets import python
from codegen.typemap import file_spec, shaped, tuple_spec
from tests.conformance import annotations_of, conform
from tests.paths import corpus

CAPTURES = corpus("6.31.0")
APPS = sorted(p.name for p in CAPTURES.iterdir() if (p / "openapi.json").exists())
# gradio_client returns what the app returned, before the component's postprocess, for an
# update (gr.update / a component instance): such a result is no output value to check
_UPDATE = "__type__"
# what Gradio's info writes as the example of an input it cannot make one for
_NO_EXAMPLE = "..."


def generated(name: str, out: Path) -> tuple[App, Any] | None:
    """The capture's generated Python package, imported under its own name; None for an app
    without public endpoints (the generator refuses it)."""
    raw = read_source(str(CAPTURES / name / "openapi.json"))
    package = f"corpus_{name}"
    try:
        app, files = plan(raw, Options(name=package, targets=("python",)))
    except SchemaError:
        return None
    for f in files:
        path = out / Path(f.relpath)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f.text)
    sys.path.insert(0, str(out / "python"))
    try:
        return app, importlib.import_module(package)
    finally:
        sys.path.pop(0)


@pytest.mark.parametrize("name", APPS)
def test_examples_and_recorded_results_conform(name: str, tmp_path: Path) -> None:
    found = generated(name, tmp_path)
    if found is None:
        assert not (CAPTURES / name / "oracle.jsonl").exists()
        return
    app, package = found
    check = conform(package)
    models = {m.name: m for m in app.models}
    checked = 0
    view = python.build(app, f"corpus_{name}")
    for ep, method in zip(app.endpoints, view.methods, strict=True):
        hints = annotations_of(package, method.name)
        params = {p.wire_name: p for p in ep.parameters}
        names = [p.name for p in method.params]
        for p, py_name in zip(ep.parameters, names, strict=True):
            if p.example is not None and p.example != _NO_EXAMPLE:
                check(shaped(p.example, tuple_spec(p.type, models)), hints[py_name])
                checked += 1
        for row in _oracle_rows(name, ep.api_name):
            result = row["result"]
            # the captures' client downloaded file outputs: those results are local paths
            downloaded = any(file_spec(o.type, models) is not None for o in ep.outputs)
            if _is_update(result) or downloaded:
                continue
            values = result if len(ep.outputs) > 1 else [result]
            values = [
                shaped(v, tuple_spec(o.type, models))
                for v, o in zip(values, ep.outputs, strict=True)
            ]
            returns = hints["return"]
            check(returns._make(values) if len(ep.outputs) > 1 else values[0], returns)
            for key, value in row["kwargs"].items():
                if key in params and value is not None:
                    p = params[key]
                    py_name = names[ep.parameters.index(p)]
                    value = _local_files(value)
                    check(shaped(value, tuple_spec(p.type, models)), hints[py_name])
            checked += 1
    assert checked or not app.endpoints


def _oracle_rows(name: str, api_name: str) -> list[dict[str, Any]]:
    path = CAPTURES / name / "oracle.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["api_name"] == f"/{api_name}" and "error" not in r]


def _local_files(value: Any) -> Any:
    """The captures write a file input as ``{"handle_file": path}``: here, the path."""
    if isinstance(value, dict) and set(value) == {"handle_file"}:
        return value["handle_file"]
    if isinstance(value, list):
        return [_local_files(v) for v in value]
    return value


def _is_update(value: Any) -> bool:
    if isinstance(value, dict):
        return _UPDATE in value
    if isinstance(value, list):
        return any(_is_update(v) for v in value)
    return False
