"""The Python target: names that clash with the client or its helpers still give working code."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from codegen.pipeline import Options, plan
from codegen.source import read_source


def _param(name: str, schema: dict[str, Any], default: Any = None, has: bool = False) -> Any:
    return {
        "label": name,
        "parameter_name": name,
        "parameter_has_default": has,
        "parameter_default": default,
        "type": schema,
        "python_type": {"type": "", "description": ""},
        "component": "Textbox",
        "example_input": "Hello!!",
    }


def _endpoint(params: list[Any], returns: int = 1) -> Any:
    out = {"label": "out", "type": {"type": "string"}, "component": "Textbox"}
    return {"parameters": params, "returns": [out] * returns, "api_visibility": "public"}


INFO = {
    "named_endpoints": {
        "/close": _endpoint([_param("first", {"type": "string"})]),
        "/submit": _endpoint([_param("headers", {"type": "string"})], returns=2),
        "/submit_close": _endpoint([]),
        "/Client": _endpoint(
            [
                _param("opt", {"type": "integer"}, 1, True),
                _param(
                    "as_tuple",
                    {
                        "type": "object",
                        "title": "Client",
                        "properties": {"class": {"type": "string"}},
                        "required": ["class"],
                    },
                ),
            ],
            returns=0,
        ),
    },
    "unnamed_endpoints": {},
}


def _generate(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "info.json").write_text(json.dumps(INFO))
    _, files = plan(read_source(str(tmp_path / "info.json"), None), Options(name="clash"))
    return {str(f.relpath): f.text for f in files}


def test_clashing_names_get_distinct_safe_identifiers(tmp_path: Path) -> None:
    client = _generate(tmp_path)["python/clash/client.py"]
    tree = ast.parse(client)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client")
    methods = [f.name for f in cls.body if isinstance(f, ast.FunctionDef)]
    assert methods == [
        "__init__",
        "client",
        "submit_client",
        "close_",
        "submit_close_",
        "submit_",
        "submit_submit_",
        "submit_close",
        "submit_submit_close",
    ]
    params = {
        f.name: [a.arg for a in f.args.args + f.args.kwonlyargs]
        for f in cls.body
        if isinstance(f, ast.FunctionDef)
    }
    assert params["close_"] == ["self", "first_", "headers", "timeout", "on_message"]
    assert params["submit_"] == ["self", "headers_", "headers", "timeout", "on_message"]
    # a required input after an optional one: the rest is keyword-only, wire order kept
    fn = next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "client")
    assert [a.arg for a in fn.args.args] == ["self"]
    assert [a.arg for a in fn.args.kwonlyargs] == [
        "opt",
        "as_tuple_",
        "headers",
        "timeout",
        "on_message",
    ]
    assert "first_" in client and "[first_]" in client


def test_a_model_titled_client_does_not_shadow_the_client(tmp_path: Path) -> None:
    files = _generate(tmp_path)
    models = files["python/clash/models.py"]
    assert "ClientModel = TypedDict(" in models
    assert "'class': str" in models or '"class": str' in models


def test_generated_package_imports_and_type_checks(tmp_path: Path) -> None:
    files = _generate(tmp_path)
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            str(tmp_path / "python" / "clash"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import clash; c = clash.Client('http://x'); "
            "assert callable(c.close) and c.close_ is not c.close",
        ],
        cwd=tmp_path / "python",
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
