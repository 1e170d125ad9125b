"""Third-party components from PyPI and the rich built-ins, through every client.

``apps/components.py`` serves one endpoint per component. Each call goes through the generated
Python client, the JavaScript client under node and the curl scripts, and is compared with
``gradio_client``; every value sent and received is checked at run time against the annotation
the generated client declares (``tests/conformance.py``), and typed usage with real values,
local files nested in objects included, passes ``mypy --strict`` and ``tsc --strict`` (code the
types must reject is rejected). So are the generated API page's snippets.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.naming import js_method_names
from codegen.parse import parse
from codegen.source import read_source
from codegen.targets import python
from codegen.typemap import shaped, tuple_spec
from tests.conformance import TypeCheckError, annotations_of, conform
from tests.tsc import NODE_MODULES, tsc_strict

USAGE = Path(__file__).parent / "usage"
JS_SCENARIOS = Path(__file__).parents[1] / "js" / "scenarios.mjs"
APP = "components"
PACKAGE = "components_client"


@dataclass(frozen=True)
class F:
    """A local file input, named by its key in ``inputs``; each client sends it its own way."""

    name: str


# api name -> inputs by the app's names; F marks a local file, a tuple a fixed-length array
CASES: dict[str, dict[str, Any]] = {
    "price_range": {"price": (100.0, 250.0)},
    "slider": {"pair": (F("red"), F("blue"))},
    "annotate": {
        "value": {
            "image": F("red"),
            "boxes": [{"xmin": 1, "ymin": 1, "xmax": 3, "ymax": 3, "label": "cat"}],
        }
    },
    "pdf_pages": {"path": F("doc")},
    "highlight": {"spans": [("hello", None), ("world", "noun")]},
    "next_day": {"day": "2024-02-28"},
    "widen": {"span": ["2024-01-01 10:00:00", "2024-01-01 12:00:00"]},
    "molecule": {"path": F("mol")},
    "model3d": {"path": F("tri")},
    "board": {},
    "mm_chat": {"history": [], "text": "hi", "image": F("red")},
    "edit": {"value": {"background": F("red"), "layers": [F("blue")], "composite": F("red")}},
    "regions": {"image": F("red"), "label": "box"},
    "multimodal": {"value": {"text": "look", "files": [F("red"), F("blue")]}},
    "gallery": {"items": [{"image": F("red"), "caption": "first"}, {"image": F("blue")}]},
    "chat_files": {"history": [], "image": F("red")},
}

_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> endobj
3 0 obj << /Type /Page
/Parent 2 0 R >> endobj
4 0 obj << /Type /Page
/Parent 2 0 R >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from PIL import Image

    folder = tmp_path_factory.mktemp("component_inputs")
    Image.new("RGB", (8, 6), (200, 10, 10)).save(folder / "red.png")
    Image.new("RGB", (4, 4), (10, 10, 200)).save(folder / "blue.png")
    (folder / "doc.pdf").write_bytes(_PDF)
    (folder / "mol.pdb").write_text(
        "ATOM      1  N   GLY A   1       0.000   0.000   0.000\n"
        "ATOM      2  CA  GLY A   1       1.000   0.000   0.000\nEND\n"
    )
    (folder / "tri.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    return {p.stem: p for p in folder.iterdir()}


@pytest.fixture(scope="module")
def served(serve: Callable[..., Any]) -> Iterator[str]:
    with serve((APP,)) as urls:
        yield urls[APP]


@pytest.fixture(scope="module")
def out(served: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("components") / "client"
    result = CliRunner().invoke(main, [served, "-o", str(folder), "--name", PACKAGE])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def package(out: Path) -> Any:
    sys.path.insert(0, str(out / "python"))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out / "python"))


def converted(value: Any, file: Callable[[Path], Any], paths: dict[str, Path], tuples: bool) -> Any:
    """``value`` with each F made what a client takes, and tuples kept or made lists."""
    if isinstance(value, F):
        return file(paths[value.name])
    if isinstance(value, tuple):
        items = [converted(v, file, paths, tuples) for v in value]
        return tuple(items) if tuples else items
    if isinstance(value, list):
        return [converted(v, file, paths, tuples) for v in value]
    if isinstance(value, dict):
        return {k: converted(v, file, paths, tuples) for k, v in value.items()}
    return value


def normalize(value: Any) -> Any:
    """Files compare by their bytes (server paths differ per upload); tuples as lists."""
    if isinstance(value, dict) and isinstance(value.get("url"), str) and "path" in value:
        return ("file", hashlib.sha256(httpx.get(value["url"]).content).hexdigest())
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if k != "id"}  # an editor's random id
    return value


@pytest.fixture(scope="module")
def expected(served: str, inputs: dict[str, Path]) -> dict[str, Any]:
    """gradio_client's result of each case, normalized."""
    from gradio_client import Client, handle_file

    client = Client(served, verbose=False, download_files=False)
    found = {}
    for api, kwargs in CASES.items():
        args = converted(kwargs, lambda p: handle_file(str(p)), inputs, tuples=False)
        found[api] = normalize(client.predict(**args, api_name=f"/{api}"))
    client.close()
    return found


# each case sends its files as one of the kinds a FileInput takes
_PY_FILE_KINDS: list[Callable[[Path], Any]] = [str, lambda p: p, lambda p: p.read_bytes()]


@pytest.fixture(scope="module")
def python_results(package: Any, served: str, inputs: dict[str, Path]) -> dict[str, Any]:
    """Each case through the generated Python client: (sent kwargs, result)."""
    results = {}
    with package.Client(served) as client:
        for n, (api, kwargs) in enumerate(CASES.items()):
            sent = converted(kwargs, _PY_FILE_KINDS[n % 3], inputs, tuples=True)
            results[api] = (sent, getattr(client, api)(**sent))
    return results


@pytest.mark.parametrize("api", list(CASES))
def test_python_client_returns_what_gradio_client_does_with_the_declared_types(
    api: str, package: Any, python_results: dict[str, Any], expected: dict[str, Any]
) -> None:
    sent, result = python_results[api]
    assert normalize(result) == expected[api]
    hints = annotations_of(package, api)
    check = conform(package)
    for name, value in sent.items():
        check(value, hints[name])
    check(result, hints["return"])
    if isinstance(result, tuple) and hasattr(result, "_fields"):
        assert result == tuple(result) and len(result._fields) == len(result)


def test_fixed_length_arrays_are_tuples_and_outputs_carry_names(
    python_results: dict[str, Any],
) -> None:
    doubled = python_results["price_range"][1]
    assert doubled.doubled == (200.0, 500.0) and {doubled.doubled: 1}  # hashable: a tuple
    assert doubled == ((200.0, 500.0), "from 100 to 250")  # still equal to the plain tuple
    spans = python_results["highlight"][1]
    assert spans == [("HELLO", None), ("WORLD", "noun")]
    assert all(type(s) is tuple for s in spans)
    pairs = python_results["mm_chat"][1]
    assert all(type(p) is tuple for p in pairs)
    assert type(python_results["slider"][1].compared) is tuple


def test_the_check_fails_on_a_list_for_a_tuple_a_wrong_key_and_a_wrong_file(
    package: Any, python_results: dict[str, Any]
) -> None:
    check = conform(package)
    hints = annotations_of(package, "price_range")
    result = python_results["price_range"][1]
    with pytest.raises(TypeCheckError):
        check((list(result.doubled), result.summary), hints["return"])
    annotate = annotations_of(package, "annotate")
    relabelled = python_results["annotate"][1].relabelled
    with pytest.raises(TypeCheckError):
        check(
            {**relabelled, "extra": 1},
            type(relabelled) and annotate["return"].__annotations__["relabelled"],
        )
    with pytest.raises(TypeCheckError):
        check({"boxes": []}, annotate["value"])  # "image" is missing
    with pytest.raises(TypeCheckError):
        check({**relabelled, "image": "a.png"}, annotate["return"].__annotations__["relabelled"])


# examples a component gives that its own schema rejects: the check must catch each
BAD_EXAMPLES = {
    # gradio_imageslider 0.0.20's example_inputs() is one URL, not the pair SliderData holds
    ("slider", "pair"),
}


def test_each_components_example_conforms_to_its_input_annotation(
    package: Any, served: str
) -> None:
    """Gradio's own example of each input (the component's ``example_payload``, as /info
    serves it) is a value the input's annotation takes; fixed-length arrays made tuples as
    the annotation says (JSON has none), nothing else adjusted."""
    app = parse(read_source(served))
    models = {m.name: m for m in app.models}
    view = python.build(app, PACKAGE)
    check = conform(package)
    checked = 0
    for ep, method in zip(app.endpoints, view.methods, strict=True):
        hints = annotations_of(package, method.name)
        for p, param in zip(ep.parameters, method.params, strict=True):
            if p.example is None:
                continue
            value = shaped(p.example, tuple_spec(p.type, models))
            if (ep.api_name, p.wire_name) in BAD_EXAMPLES:
                with pytest.raises(TypeCheckError):
                    check(value, hints[param.name])
            else:
                check(value, hints[param.name])
                checked += 1
    assert checked >= 12


def test_an_inputs_info_text_reaches_the_docstring_and_the_jsdoc(out: Path) -> None:
    info = "The day before the one you want. Date string formatted as YYYY-MM-DD."
    assert f"day: Calendar 'Day'. {info}" in (out / "python" / PACKAGE / "client.py").read_text()
    assert f"/** Calendar 'Day'. {info} */" in (out / "js" / "index.d.ts").read_text()


# -- JavaScript ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def js_results(js_tools: Path, out: Path, served: str, inputs: dict[str, Path]) -> list[Any]:
    kinds = ["path", "blob", "bytes"]
    methods = js_method_names(CASES)
    calls = [
        [
            APP,
            methods[api][0],
            converted(kw, lambda p, k=kinds[n % 3]: {"$file": str(p), "as": k}, inputs, False),
        ]
        for n, (api, kw) in enumerate(CASES.items())
    ]
    request = {
        "scenario": "cases",
        "clients": {APP: str(out / "js" / "index.js")},
        "urls": {APP: served},
        "args": {"calls": calls},
    }
    done = subprocess.run(
        ["node", str(JS_SCENARIOS)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=js_tools,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[Any] = json.loads(done.stdout)
    return results


@pytest.mark.parametrize(("index", "api"), list(enumerate(CASES)))
def test_js_client_returns_what_gradio_client_does(
    index: int, api: str, js_results: list[Any], expected: dict[str, Any]
) -> None:
    outcome = js_results[index]
    assert "ok" in outcome, outcome
    assert normalize(outcome["ok"]) == expected[api]


# -- curl ------------------------------------------------------------------------------------


def curl_words(script: Path, kwargs: dict[str, Any], inputs: dict[str, Path]) -> list[str]:
    """A top-level file is ``name=@path``; one inside JSON is the FileData ``--upload`` prints."""

    def upload(path: Path) -> Any:
        done = subprocess.run(
            [str(script), "--upload", str(path)], capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout)

    words = []
    for name, value in kwargs.items():
        if isinstance(value, F):
            words.append(f"{name}=@{inputs[value.name]}")
        elif isinstance(value, str):
            words.append(f"{name}={value}")
        else:
            words.append(f"{name}={json.dumps(converted(value, upload, inputs, False))}")
    return words


@pytest.mark.parametrize("api", list(CASES))
def test_curl_scripts_return_what_gradio_client_does(
    api: str, out: Path, served: str, inputs: dict[str, Path], expected: dict[str, Any]
) -> None:
    script = out / "curl" / f"{api}.sh"
    env = {**os.environ, "GRADIO_URL": served}
    done = subprocess.run(
        [str(script), *curl_words(script, CASES[api], inputs)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)
    want = expected[api]
    assert normalize(outputs) == (want if len(outputs) > 1 else [want])


def test_curl_help_says_how_to_put_a_file_inside_a_json_input(out: Path) -> None:
    shown = subprocess.run(
        [str(out / "curl" / "annotate.sh"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert 'value="{\\"image\\": $(./annotate.sh --upload PATH)}"' in shown


# -- static types --------------------------------------------------------------------------


def _esm(folder: Path) -> None:
    """tsc reads the files there as ES modules (the generated package is one)."""
    (folder / "package.json").write_text('{"type": "module"}')
    (folder / "node_modules").symlink_to(NODE_MODULES)


def _mypy(out: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    env = {"MYPYPATH": str(out / "python"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _marked(path: Path, marker: str) -> set[int]:
    lines = path.read_text().splitlines()
    return {i for i, line in enumerate(lines, 1) if line.rstrip().endswith(marker)}


def test_typed_python_usage_passes_mypy_strict_and_wrong_usage_is_rejected(out: Path) -> None:
    good = _mypy(out, out / "python" / PACKAGE, USAGE / "components_usage.py")
    assert good.returncode == 0, good.stdout
    wrong = _mypy(out, USAGE / "components_wrong.py")
    reported = {int(line.split(":")[1]) for line in wrong.stdout.splitlines() if ": error:" in line}
    marked = _marked(USAGE / "components_wrong.py", "# wrong")
    assert marked and marked <= reported, wrong.stdout


def test_typed_ts_usage_passes_tsc_strict_and_wrong_usage_is_rejected(
    out: Path, tmp_path: Path
) -> None:
    for name in ("components_usage.ts", "components_wrong.ts"):
        text = (USAGE / name).read_text().replace("__CLIENT__", str(out / "js" / "index.js"))
        (tmp_path / name).write_text(text)
    _esm(tmp_path)
    good = tsc_strict([out / "js" / "index.d.ts", tmp_path / "components_usage.ts"], tmp_path)
    assert good.returncode == 0, good.stdout
    wrong = tsc_strict([tmp_path / "components_wrong.ts"], tmp_path)
    reported = {
        int(m.group(1))
        for m in re.finditer(r"components_wrong\.ts\((\d+),\d+\): error", wrong.stdout)
    }
    marked = _marked(USAGE / "components_wrong.ts", "// wrong")
    assert marked and marked <= reported, wrong.stdout


BLOCK = re.compile(r"^(`{3,})(python|js)\n(.*?)\n\1$", re.S | re.M)


def test_every_snippet_of_the_api_page_type_checks(out: Path, tmp_path: Path) -> None:
    """The page's snippets for the generated clients, under mypy --strict and tsc --strict."""
    page = (out / "README.md").read_text()
    py, ts = [], []
    for section in page.split("\n### ")[1:]:
        for m in BLOCK.finditer(section):
            code = m.group(3)
            if "gradio_client" in code or "@gradio/client" in code:
                continue
            (py if m.group(2) == "python" else ts).append(code)
    assert len(py) == len(ts) == len(CASES)
    for n, code in enumerate(py):
        (tmp_path / f"snippet_{n}.py").write_text(code)
    checked = _mypy(out, *sorted(tmp_path.glob("snippet_*.py")))
    assert checked.returncode == 0, checked.stdout
    client = str(out / "js" / "index.js")
    for n, code in enumerate(ts):
        text = code.replace("./js/index.js", client) + "\nexport {};\n"
        (tmp_path / f"snippet_{n}.ts").write_text(text)
    _esm(tmp_path)
    checked_ts = tsc_strict(sorted(tmp_path.glob("snippet_*.ts")), tmp_path)
    assert checked_ts.returncode == 0, checked_ts.stdout
