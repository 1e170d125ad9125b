"""The JavaScript and curl targets and the API page: types, names, argument kinds, examples."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from codegen.ir import Default, Parameter, TypeKind, TypeRef
from codegen.pipeline import Options, plan
from codegen.source import read_source
from codegen.targets.apipage import FileUrl, _example
from codegen.targets.curl import input_kind
from codegen.targets.js import property_key, ts_type
from tests.unit.test_targets_python import _endpoint, _param

S, INT, F, B, N = (
    TypeRef(k) for k in (TypeKind.STR, TypeKind.INT, TypeKind.FLOAT, TypeKind.BOOL, TypeKind.NULL)
)
FILE, ANY = TypeRef(TypeKind.FILE), TypeRef(TypeKind.ANY)


def lit(*values: Any) -> TypeRef:
    return TypeRef(TypeKind.LITERAL, literals=values)


def of(kind: TypeKind, *args: TypeRef) -> TypeRef:
    return TypeRef(kind, args=args)


@pytest.mark.parametrize(
    ("ref", "as_input", "as_output"),
    [
        (S, "string", "string"),
        (INT, "number", "number"),
        (of(TypeKind.UNION, F, N), "number | null", "number | null"),
        (lit("a", 'b"c', 0.5, True, None), '"a" | "b\\"c" | 0.5 | true | null', None),
        (lit(float("nan"), 1), "1 | number", None),
        (of(TypeKind.LIST, S), "string[]", None),
        (of(TypeKind.LIST, of(TypeKind.UNION, S, INT)), "Array<string | number>", None),
        (of(TypeKind.TUPLE, S, INT), "[string, number]", None),
        (of(TypeKind.DICT, S, B), "Record<string, boolean>", None),
        (FILE, "FileInput", "FileData"),
        (of(TypeKind.LIST, FILE), "FileInput[]", "FileData[]"),
        (ANY, "JsonValue", None),
        (TypeRef(TypeKind.OBJECT, model="m"), "ModelM", None),
    ],
)
def test_ts_type(ref: TypeRef, as_input: str, as_output: str | None) -> None:
    assert ts_type(ref, lambda m: "Model" + m.upper(), input_=True) == as_input
    assert ts_type(ref, lambda m: "Model" + m.upper(), input_=False) == (as_output or as_input)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("name", "name"),
        ("$ok_1", "$ok_1"),
        ("new", '"new"'),
        ("a b", '"a b"'),
        ("2x", '"2x"'),
        ("é", '"\\u00e9"'),
    ],
)
def test_property_key(key: str, expected: str) -> None:
    assert property_key(key) == expected


@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        (S, "string"),
        (INT, "integer"),
        (F, "number"),
        (B, "boolean"),
        (of(TypeKind.UNION, INT, N), "integer"),
        (of(TypeKind.UNION, S, N), "json"),  # "null" could be either: JSON decides
        (lit("a", "b"), "choice"),
        (lit(1, 2), "json"),
        (FILE, "file"),
        (of(TypeKind.LIST, FILE), "files"),
        (of(TypeKind.LIST, S), "json"),
        (ANY, "json"),
    ],
)
def test_curl_input_kind(ref: TypeRef, kind: str) -> None:
    assert input_kind(ref) == kind


def _p(ref: TypeRef, example: Any = None, default: Default | None = None) -> Parameter:
    return Parameter("x", 0, ref, default, "x", "Textbox", "", example)


def test_api_page_examples_fit_the_type() -> None:
    assert _example(_p(S, "from app"), {}) == "from app"
    assert _example(_p(INT, "not an int"), {}) == 3
    assert _example(_p(lit("b", "c")), {}) == "b"
    assert _example(_p(of(TypeKind.LIST, B)), {}) == [True]
    url = "https://x/bus.png"
    assert _example(_p(FILE, {"path": url, "meta": {}}), {}) == FileUrl(url)
    assert _example(_p(of(TypeKind.LIST, FILE), [{"path": url}, url]), {}) == [FileUrl(url)] * 2
    # a lone file whose example is [] (hypothesis found it) still gets one URL
    assert _example(_p(FILE, []), {}) == FileUrl("https://example.com/file.txt")
    assert _example(_p(of(TypeKind.LIST, FILE), []), {}) == []


INFO = {
    "named_endpoints": {
        "/new": _endpoint(
            [_param("default", {"type": "string"}), _param("delete", {"type": "integer"}, 1, True)]
        ),
        "/constructor": _endpoint([_param("self", {"type": "string"})], returns=2),
        "/2nd échō": _endpoint([]),
        "/filter": _endpoint([_param("text", {"type": "string"})]),
    },
    "unnamed_endpoints": {},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("clash")
    (folder / "info.json").write_text(json.dumps(INFO))
    _, files = plan(read_source(str(folder / "info.json"), None), Options(name="clash"))
    return {str(f.relpath): f.text for f in files}


def test_js_methods_are_camel_case_escaping_only_javascript_words(
    generated: dict[str, str],
) -> None:
    js = generated["js/index.js"]
    for method in ("new_(", "constructor_(", "endpoint2ndEcho(", "submitNew(", "filter("):
        assert f"  {method}inputs, options)" in js
    assert "  submitFilter(inputs, options)" in js and "filter_" not in js
    py = generated["python/clash/client.py"]
    assert "def constructor(" in py and "def endpoint_2nd_echo(" in py  # Python needs no change
    assert "def filter_(" in py  # a builtin for Python, a fine name for JavaScript
    dts = generated["js/index.d.ts"]
    assert '"default"?' not in dts
    assert '  "default": string;' in dts
    assert '  "delete"?: number;' in dts
    assert "  filter(inputs: FilterInputs, options?: CallOptions)" in dts
    assert "`endpoint2ndEcho(inputs: Endpoint2ndEchoInputs)`" in generated["js/README.md"]
    page = generated["README.md"]
    assert "await client.filter({ " in page and "./curl/filter_.sh " in page  # the old name


def test_curl_scripts_keep_their_file_names(generated: dict[str, str]) -> None:
    assert sorted(p for p in generated if p.startswith("curl/")) == [
        "curl/_runtime.bash",
        "curl/constructor_.sh",
        "curl/endpoint_2nd_echo.sh",
        "curl/filter_.sh",
        "curl/new_.sh",
    ]
    assert "api_path='2nd%20%C3%A9ch%C5%8D'" in generated["curl/endpoint_2nd_echo.sh"]


def test_clashing_js_module_loads_and_checks(generated: dict[str, str], tmp_path: Path) -> None:
    for rel, text in generated.items():
        if rel.startswith("js/"):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text(text)
    program = (
        "import { Client } from './js/index.js';"
        "const c = new Client({ baseUrl: 'http://127.0.0.1:9' });"
        "console.log(typeof c.new_, typeof c.constructor_, typeof c.endpoint2ndEcho,"
        " typeof c.filter);"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", program], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.stdout.split() == ["function"] * 4, result.stderr


def test_the_page_has_an_mcp_block_when_the_app_serves_mcp(tmp_path: Path) -> None:
    (tmp_path / "info.json").write_text(json.dumps(INFO))
    pages = {}
    for serves in (True, False):
        (tmp_path / "config.json").write_text(
            json.dumps({"mcp_server": serves, "version": "6.31.0"})
        )
        raw = read_source(str(tmp_path / "info.json"), None)
        _, files = plan(raw, Options(name="clash", base_url="http://127.0.0.1:7860"))
        pages[serves] = next(f.text for f in files if str(f.relpath) == "README.md")
    block = pages[True].split("## MCP", 1)[1].split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == {
        "mcpServers": {"clash": {"url": "http://127.0.0.1:7860/gradio_api/mcp/"}}
    }
    assert "## MCP" not in pages[False]
