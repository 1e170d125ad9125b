"""A live app with hostile names and text: every generated file is safe, and every client works.

The app (``apps/hostile.py``) puts quotes, backticks, ``$(touch CANARY)``, comment ends and
template syntax into its title, endpoint and input names, labels, choices, defaults and
descriptions. Nothing of it may run: the canary file must never appear.
"""

from __future__ import annotations

import json
import os
import py_compile
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.parse import parse
from codegen.pipeline import DEFAULT_TARGETS, Options, from_folder, generate
from codegen.targets.mcp import property_names, tool_names
from codegen.targets.python import build as python_view
from tests.e2e.conftest import serving
from tests.e2e.mcp_session import session
from tests.tsc import NODE_MODULES, tsc_strict

# (api name, curl script, inputs by wire name); ../x has no callable route
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("2nd_échō", "endpoint_2nd_echo", {"new": "it's $(id)", "self": "`id`", "type": "*/"}),
    ("class", "class_", {"new": 'q"z', "self": "a\\b\nc", "type": "é ü"}),
    ("a b", "a_b", {"new": "${HOME}", "self": "", "type": "x'y"}),
    ("new", "new_", {}),
    ("new", "new_", {"default": "*/ $(x)", "delete": -1.5, "constructor": False}),
    ("toString", "to_string", {"choice": "a\\b"}),
]
# an input name of /accents (in MCP beyond 64 characters: the property is its first 64)
LONG_NAME = "a_name_longer_than_the_sixty_four_characters_that_some_mcp_hosts_allow"
# where Python's names differ: it reserves other words than JavaScript
PY_NAMES = {"new_": "new", "self": "self_", "type": "type_"}
# where the JavaScript methods differ from the scripts: camelCase, toString is every object's
JS_NAMES = {"endpoint_2nd_echo": "endpoint2ndEcho", "a_b": "aB", "to_string": "toString_"}


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("canary") / "ran"


@pytest.fixture(scope="module")
def hostile_url(canary: Path) -> Iterator[str]:
    with serving(("hostile",), {"HOSTILE_CANARY": str(canary)}) as urls:
        yield urls["hostile"]


@pytest.fixture(scope="module")
def out(hostile_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    generate(hostile_url, root / "out", Options(targets=(*DEFAULT_TARGETS, "mcp")), token=None)
    (root / "out" / "node_modules").symlink_to(NODE_MODULES)
    return root / "out"


@pytest.fixture(scope="module")
def expected(hostile_url: str) -> dict[int, Any]:
    """What gradio_client gets for each call (positionally: it cannot take ``self``)."""
    from gradio_client import Client

    client = Client(hostile_url, verbose=False)
    info = client.view_api(print_info=False, return_format="dict")
    results = {}
    for n, (api, _, inputs) in enumerate(CALLS):
        params = info["named_endpoints"][f"/{api}"]["parameters"]
        args = [inputs.get(p["parameter_name"], p["parameter_default"]) for p in params]
        results[n] = client.predict(*args, api_name=f"/{api}")
    client.close()
    return results


def test_no_file_lands_outside_the_output_folder(out: Path) -> None:
    root = out.parent
    outside = [p for p in root.rglob("*") if p.is_file() and out not in p.parents]
    assert outside == []
    assert sorted(p.name for p in (out / "curl").iterdir()) == [
        "_runtime.bash",
        "a_b.sh",
        "accents.sh",
        "class_.sh",
        "endpoint_2nd_echo.sh",
        "new_.sh",
        "to_string.sh",
        "x.sh",
    ]


def test_every_generated_file_parses_and_type_checks(out: Path, tmp_path: Path) -> None:
    for path in [*(out / "python").rglob("*.py"), *(out / "mcp").glob("*.py")]:
        py_compile.compile(str(path), doraise=True)
    for path in (out / "js").glob("*.js"):
        assert subprocess.run(["node", "--check", str(path)]).returncode == 0, path
    scripts = sorted(str(p) for p in (out / "curl").glob("*.sh"))
    for script in scripts:
        assert subprocess.run(["bash", "-n", script]).returncode == 0, script
    checked = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[:2000]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(out / "python")],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout
    tsc = tsc_strict([out / "js" / "index.d.ts"], tmp_path)
    assert tsc.returncode == 0, tsc.stdout


def test_python_client_calls_every_endpoint(
    out: Path, expected: dict[int, Any], canary: Path
) -> None:
    package = next(p.name for p in (out / "python").iterdir() if (p / "client.py").exists())
    calls = [
        (PY_NAMES.get(method, method), {PY_NAMES.get(k, k): v for k, v in inputs.items()})
        for _, method, inputs in CALLS
    ]
    program = (
        "import json, sys\n"
        f"from {package} import Client\n"
        "calls = json.loads(sys.argv[1])\n"
        "with Client() as c:\n"
        "    print(json.dumps([getattr(c, m)(**kw) for m, kw in calls]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, json.dumps(calls)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(out / "python")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [expected[n] for n in range(len(CALLS))]
    assert not canary.exists()


def test_js_client_calls_every_endpoint(out: Path, expected: dict[int, Any], canary: Path) -> None:
    calls = [(JS_NAMES.get(method, method), inputs) for _, method, inputs in CALLS]
    script = out / "calls.mjs"
    script.write_text(
        'import { Client } from "./js/index.js";\n'
        "const c = new Client();\n"
        "const calls = JSON.parse(process.argv[2]);\n"
        "const got = [];\n"
        "for (const [m, inputs] of calls) got.push(await c[m](inputs));\n"
        "console.log(JSON.stringify(got));\n"
    )
    result = subprocess.run(
        ["node", str(script), json.dumps(calls)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [expected[n] for n in range(len(CALLS))]
    assert not canary.exists()


def test_curl_scripts_call_every_endpoint(
    out: Path, expected: dict[int, Any], canary: Path
) -> None:
    for n, (_, method, inputs) in enumerate(CALLS):
        args = [f"{k}={json.dumps(v) if not isinstance(v, str) else v}" for k, v in inputs.items()]
        result = subprocess.run(
            ["bash", str(out / "curl" / f"{method}.sh"), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == [expected[n]]
        help_text = subprocess.run(
            ["bash", str(out / "curl" / f"{method}.sh"), "--help"], capture_output=True, text=True
        )
        assert help_text.returncode == 0 and f"./{method}.sh" in help_text.stdout
    assert not canary.exists()


def test_the_api_page_keeps_hostile_text_inert(out: Path, canary: Path) -> None:
    page = (out / "README.md").read_text()
    prose = re.sub(r"^(`{3,})\w*\n.*?\n\1$", "", page, flags=re.S | re.M)
    prose = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", prose, flags=re.S)  # code spans
    assert "```" not in prose  # every fence was closed
    assert "<script>" not in prose and "&lt;script&gt;" in prose  # HTML is escaped
    assert not canary.exists()


def test_mcp_server_calls_every_endpoint(
    out: Path, expected: dict[int, Any], canary: Path, hostile_url: str
) -> None:
    """The generated MCP server lists a tool for every endpoint (../x too) and returns what
    gradio_client gets, with the hostile names as the app spells them where every MCP host
    takes them ([A-Za-z0-9_.-]{1,64}), else as the Python client's keywords, each described
    by the app's own name."""
    raw, options, _ = from_folder(out)
    model = parse(raw)
    py = python_view(model, options.name)
    names = tool_names(model, py)
    accents = {"naive_2": "é ü", "naive": "plain", LONG_NAME[:64]: "`id`"}
    calls = [(names[a], kw) for a, _, kw in CALLS] + [("accents", accents)]
    transcript = session(out / "mcp" / "server.py", calls)
    assert sorted(t.name for t in transcript.tools) == sorted(names.values())
    for ep, method in zip(model.endpoints, py.methods, strict=True):
        schema = transcript.tool(names[ep.api_name]).inputSchema
        props = property_names(ep, [k.name for k in method.params])
        assert list(schema["properties"]) == props
        for name, p in zip(props, ep.parameters, strict=True):
            assert re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name), name
            assert (
                name == p.wire_name
                or f'input "{p.wire_name}"' in (schema["properties"][name]["description"])
            )
    assert list(transcript.tool("accents").inputSchema["properties"]) == list(accents)
    *outcomes, accented = transcript.outcomes
    for n, outcome in enumerate(outcomes):
        assert not outcome.is_error, outcome.text
        assert list((outcome.structured or {}).values()) == [expected[n]]
    from gradio_client import Client

    oracle = Client(hostile_url, verbose=False)
    want = oracle.predict("é ü", "plain", "`id`", api_name="/accents")
    oracle.close()
    assert want == "é ü|plain|`id`"
    assert not accented.is_error and list((accented.structured or {}).values()) == [want]
    assert not canary.exists()
