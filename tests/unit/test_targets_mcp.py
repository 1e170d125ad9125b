"""The mcp target: its view model (tool names, schemas from the model, the client's keywords),
its place among the targets (opt-in, bringing python), and the runtime's pure helpers."""

from __future__ import annotations

import ast
import asyncio
import base64
import dataclasses
import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
from jinja2 import meta
from uv import find_uv_bin

from codegen.ir import (
    App,
    Default,
    Endpoint,
    Output,
    Parameter,
    TypeKind,
    TypeRef,
)
from codegen.pipeline import Options, chosen_targets, plan
from codegen.render import environment, templates_dir
from codegen.runtime.gradio_runtime import app_token
from codegen.runtime.mcp_server import (
    MAX_INLINE_BYTES,
    ToolError,
    ToolSpec,
    _arguments,
    _Reporter,
    check_arguments,
    client_factory,
    describe_status,
    file_blocks,
    follow,
    local_files,
)
from codegen.source import read_source
from codegen.targets import mcp, python
from codegen.typemap import json_schema
from tests.paths import SCHEMAS

STR, FLOAT = TypeRef(TypeKind.STR), TypeRef(TypeKind.FLOAT)
CHOICE = TypeRef(TypeKind.LITERAL, literals=("add", "sub"))
FILE = TypeRef(TypeKind.FILE)


def _param(name: str, ref: TypeRef, position: int, default: Any = None, has: bool = False) -> Any:
    return Parameter(
        name,
        position,
        ref,
        Default(default) if has else None,
        label=name.title(),
        component="Textbox",
        description="what the app's info= says",
    )


def _app(*endpoints: Endpoint) -> App:
    return App("t", "", "6.31.0", "http://127.0.0.1:7860", None, "/gradio_api", endpoints)


def _endpoint(api: str, params: tuple[Parameter, ...], outputs: tuple[Output, ...]) -> Endpoint:
    return Endpoint(api, "", params, outputs, wire_outputs=None, fn_index=None)


def test_tools_keep_the_apps_names_choices_defaults_and_texts() -> None:
    ep = _endpoint(
        "calc",
        (
            _param("class", STR, 0),
            _param("op", CHOICE, 1, "add", has=True),
            _param("n", FLOAT, 2, "oops", has=True),  # a default the type does not take
            _param("img", FILE, 3),
        ),
        (Output(0, "Result", "Number", FLOAT, ""), Output(1, "Result", "File", FILE, "")),
    )
    app = _app(ep, _endpoint("a b", (), ()), _endpoint("a_b", (), ()))
    view = mcp.build(app, python.build(app))
    schemas = {ast.literal_eval(t.name_src): t for t in view.tools}
    assert list(schemas) == ["calc", "a_b_2", "a_b"]  # "a b" is no tool name; a_b is the app's
    tool = schemas["calc"]
    inputs = ast.literal_eval(tool.input_schema_src)
    assert list(inputs["properties"]) == ["class", "op", "n", "img"]
    # a default the type does not take is no default: n is required, as in the Python client
    assert inputs["required"] == ["class", "n", "img"]
    assert inputs["properties"]["op"] == {
        "type": "string",
        "enum": ["add", "sub"],
        "title": "Op",
        "description": "Textbox 'Op'. what the app's info= says",
        "default": "add",
    }
    assert (
        inputs["properties"]["n"]["type"] == "number" and "default" not in inputs["properties"]["n"]
    )
    assert inputs["properties"]["img"]["type"] == "string"
    assert "local file path" in inputs["properties"]["img"]["description"]
    outputs = ast.literal_eval(tool.output_schema_src)
    assert list(outputs["properties"]) == ["Result", "Result (2)"]
    assert outputs["properties"]["Result (2)"]["required"] == ["path"]  # FileData
    # the client's keywords: class is Python's class_
    assert ast.literal_eval(tool.params_src) == [
        ["class", "class_"],
        ["op", "op"],
        ["n", "n"],
        ["img", "img"],
    ]
    assert ast.literal_eval(tool.file_inputs_src) == ["img"]
    assert ast.literal_eval(tool.method_src) == "submit_calc"
    # both schemas are valid draft 2020-12 schemas that accept what they should
    jsonschema.Draft202012Validator.check_schema(inputs)
    jsonschema.validate({"class": "x", "img": "/a.png", "n": 2}, inputs)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"class": "x", "img": "/a.png", "op": "mul"}, inputs)


def test_property_names_fit_every_host_and_map_back_to_the_clients_keywords() -> None:
    """[A-Za-z0-9_.-]{1,64}: the app's names where they fit (taken first), else the Python
    keyword, cut to 64 and numbered after a clash; described by the app's own name."""
    long = "x" * 70
    ep = _endpoint(
        "e",
        (
            _param("naïve", STR, 0),
            _param("naive", STR, 1),
            _param("First number", STR, 2),
            _param(long, STR, 3),
            _param("a.b-c", STR, 4),
            _param("*/", FILE, 5),
        ),
        (),
    )
    app = _app(ep)
    (tool,) = mcp.build(app, python.build(app)).tools
    inputs = ast.literal_eval(tool.input_schema_src)
    props = ["naive_2", "naive", "first_number", "x" * 64, "a.b-c", "param"]
    assert list(inputs["properties"]) == props
    assert inputs["required"] == props
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", n) for n in props)
    # each property back to the client's keyword: naïve is the client's naive
    keywords = ["naive", "naive_2", "first_number", long, "a_b_c", "param"]
    assert ast.literal_eval(tool.params_src) == [list(p) for p in zip(props, keywords, strict=True)]
    assert ast.literal_eval(tool.file_inputs_src) == ["param"]
    described = inputs["properties"]["naive_2"]["description"]
    assert described.startswith('The app\'s input "naïve". ')
    assert "The app's input" not in inputs["properties"]["naive"]["description"]


def test_json_schema_types_each_choice() -> None:
    mixed = TypeRef(TypeKind.LITERAL, literals=("a", 1, 2.5, None, True))
    schema = json_schema(mixed, {}, {})
    assert schema["type"] == ["string", "integer", "number", "null", "boolean"]
    for value in mixed.literals:
        jsonschema.validate(value, schema)


def test_json_schema_writes_tuples_as_prefix_items() -> None:
    pair = TypeRef(TypeKind.TUPLE, args=(STR, FLOAT))
    schema = json_schema(pair, {}, {"type": "string"})
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(["a", 1.5], schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(["a", 1.5, 3], schema)


def test_mcp_is_opt_in_and_brings_python() -> None:
    assert "mcp" not in chosen_targets(Options())
    assert chosen_targets(Options(targets=("mcp",))) == ("python", "mcp")
    raw = read_source(str(SCHEMAS / "e2e_basics" / "openapi.json"), None)
    _, files = plan(raw, Options(targets=("mcp",), base_url="http://127.0.0.1:7860"))
    paths = {f.relpath: f for f in files}
    server = paths[PurePosixPath("mcp/server.py")]
    assert server.executable and PurePosixPath("mcp/_mcp_runtime.py") in paths
    assert PurePosixPath("python/basics/client.py") in paths
    tree = ast.parse(server.text)  # the table is plain literals: nothing of the app runs
    assert any(isinstance(n, ast.Import) and n.names[0].name == "basics" for n in tree.body)
    readme = paths[PurePosixPath("mcp/README.md")].text
    config = readme.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(config) == {
        "mcpServers": {
            "basics": {"command": "uv", "args": ["run", "/ABSOLUTE/PATH/TO/mcp/server.py"]}
        }
    }


def test_the_api_page_shows_the_mcp_server_only_with_the_target() -> None:
    raw = read_source(str(SCHEMAS / "e2e_basics" / "openapi.json"), None)
    pages = {}
    for targets in (("docs",), ("docs", "mcp")):
        _, files = plan(raw, Options(targets=targets))
        pages[targets] = next(f.text for f in files if f.relpath == PurePosixPath("README.md"))
    assert "mcp/server.py" in pages[("docs", "mcp")]
    assert "mcp/server.py" not in pages[("docs",)]


SPEC = ToolSpec(
    name="calc",
    description="",
    input_schema={
        "type": "object",
        "properties": {"op": {"enum": ["add"]}, "n": {"type": "number"}},
        "required": ["n"],
        "additionalProperties": False,
    },
    output_schema={},
    method="submit_calc",
    params=[["op", "op"], ["n", "n"]],
    file_inputs=[],
    outputs=[],
)


def test_argument_errors_name_the_input() -> None:
    check_arguments(SPEC, {"n": 1})
    with pytest.raises(ToolError) as error:
        check_arguments(SPEC, {"op": "mul", "x": 1})
    lines = str(error.value).splitlines()
    assert "invalid input: 'n' is a required property" in lines
    assert any(line.startswith("invalid input 'op': 'mul' is not one of") for line in lines)
    assert any("'x' was unexpected" in line for line in lines)


def test_local_files_are_checked_before_anything_is_sent(tmp_path: Path) -> None:
    present = tmp_path / "a.png"
    present.write_bytes(b"x")
    value = [str(present), "https://example.com/b.png", {"path": "/on/the/server"}]
    assert local_files("img", value) == value
    with pytest.raises(ToolError, match=r"invalid input 'img': '/no/such\.png' is no local file"):
        local_files("img", ["/no/such.png"])


def test_status_reads_as_one_line() -> None:
    unit = SimpleNamespace(desc="working", index=1, length=3, unit="steps", progress=None)
    assert describe_status(SimpleNamespace(stage="processing", progress=(unit,))) == (
        "working: 1/3 steps"
    )
    queued = SimpleNamespace(stage="queued", rank=0, queue_size=4, progress=())
    assert describe_status(queued) == "queued: 1 of 4"


class _Downloads:
    """Stands in for the generated client's ``download``: the bytes of each file by path."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    async def download(self, file: dict[str, Any], dest: Path) -> Path:
        dest.write_bytes(self.files[file["path"]])
        return dest


def _file(path: str, **extra: Any) -> dict[str, Any]:
    return {"path": path, "url": f"http://127.0.0.1:7860/gradio_api/file={path}", **extra}


def test_small_media_travel_inline_and_other_files_as_links(tmp_path: Path) -> None:
    big = b"\x89PNG" + bytes(MAX_INLINE_BYTES)
    client = _Downloads({"/a.png": b"\x89PNG", "/b.png": big, "/s.wav": b"RIFF"})
    pixel = "data:image/png;base64," + base64.b64encode(b"\x89PNG").decode()
    outputs = [
        _file("/a.png"),
        ("5x3", [_file("/b.png")]),  # inside a tuple and a list, as a gallery holds them
        _file("/s.wav", mime_type="audio/wav"),
        _file("/t.txt", size=13),
        _file("/huge.png", size=MAX_INLINE_BYTES + 1),  # not even downloaded
        pixel,  # a 3.x image output
    ]
    blocks = asyncio.run(file_blocks(client, outputs, tmp_path))
    assert [b.type for b in blocks] == ["image", "resource_link", "audio"] + [
        "resource_link"
    ] * 2 + ["image"]
    assert blocks[0].data == base64.b64encode(b"\x89PNG").decode()  # type: ignore[union-attr]
    link = blocks[1]
    assert link.uri.path == "/gradio_api/file=/b.png" and link.size == len(big)  # type: ignore[union-attr]
    assert blocks[3].mimeType == "text/plain"  # type: ignore[union-attr]


@pytest.mark.parametrize("title", ["mcp", "server"])
def test_a_package_never_shadows_what_the_server_imports(title: str) -> None:
    app = replace(_app(_endpoint("go", (), ())), title=title)
    assert python.package_name(app, None) == f"{title}_client"


class _StuckJob:
    """A job that never ends, as a long app call looks while it runs."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.cancelled = False

    def outputs(self) -> list[Any]:
        return []

    def status(self) -> Any:
        return SimpleNamespace(stage="processing", progress=())

    async def result(self) -> Any:
        await asyncio.sleep(3600)

    async def cancel(self) -> bool:
        self.cancelled = True
        return True


def test_a_cancelled_request_cancels_the_apps_job() -> None:
    job = _StuckJob()

    async def run() -> None:
        reporter = _Reporter(
            session=None, request_id=1, progress_token=None, log_level="info", logger="t"
        )
        waiting = asyncio.ensure_future(follow(job, reporter))
        await asyncio.sleep(0.2)
        waiting.cancel()  # what the SDK does on notifications/cancelled
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(run())
    assert job.cancelled


def test_the_templates_read_exactly_the_view_models_fields() -> None:
    folder = templates_dir() / "mcp"
    sources = [p.read_text() for p in sorted(folder.glob("*.jinja"))]
    top = set().union(*(meta.find_undeclared_variables(environment().parse(s)) for s in sources))
    assert top == {f.name for f in dataclasses.fields(mcp.McpServer)}
    read = set(re.findall(r"\bt\.([a-z_]+)", "".join(sources)))
    assert read == {f.name for f in dataclasses.fields(mcp.McpTool)}


def test_the_readme_states_the_clients_token_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README says of tokens is what the server does: it hands ``--token-file``'s
    token to the generated client (whose ``app_token`` decides), and HF_TOKEN is left to it."""
    raw = read_source(str(SCHEMAS / "e2e_basics" / "openapi.json"), None)
    _, files = plan(raw, Options(targets=("mcp",), base_url="http://127.0.0.1:7860"))
    text = next(f.text for f in files if f.relpath == PurePosixPath("mcp/README.md"))
    readme = " ".join(text.split())
    for claim in (
        "`HF_TOKEN` (from the environment), else the token `hf auth login` saved "
        "(`HF_TOKEN_PATH`, else `$HF_HOME/token`, else `~/.cache/huggingface/token`), goes to "
        "Hugging Face hosts only: a Space (`*.hf.space`), `huggingface.co`, or the host and "
        "port of `HF_ENDPOINT`.",
        "`--token-file PATH`: the token in PATH (surrounding whitespace removed) goes to the "
        "app whatever its host, in place of `HF_TOKEN` and the saved token; an empty file "
        "sends no token at all.",
        "as `x-hf-authorization: Bearer TOKEN`, never as `Authorization`",
    ):
        assert claim in readme
    saved = tmp_path / "saved"
    saved.write_text("saved\n")
    monkeypatch.setenv("HF_TOKEN_PATH", str(saved))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9000")
    for env in ("env", None):  # HF_TOKEN, else the saved token: the same hosts
        if env:
            monkeypatch.setenv("HF_TOKEN", env)
        else:
            monkeypatch.delenv("HF_TOKEN", raising=False)
        for url, gets in (
            ("https://a-b.hf.space", env or "saved"),
            ("https://huggingface.co/spaces/a/b", env or "saved"),
            ("http://127.0.0.1:9000", env or "saved"),
            ("http://127.0.0.1:7860", None),
            ("https://example.com", None),
        ):
            assert app_token(url, None) == gets, url

    made: list[dict[str, Any]] = []
    module = SimpleNamespace(AsyncClient=lambda url, **options: made.append(options))
    token = tmp_path / "token"
    for text, sent in (("  secret\n", "secret"), ("\n", "")):
        token.write_text(text)
        client_factory(module, _arguments(["--token-file", str(token)], "t"))()  # type: ignore[arg-type]
        assert app_token("https://example.com", made[-1]["token"]) == (sent or None)
    client_factory(module, _arguments([], "t"))()  # type: ignore[arg-type]
    assert "token" not in made[-1]  # HF_TOKEN is the client's to apply


def test_the_script_header_names_the_dependencies_uv_installs(tmp_path: Path) -> None:
    """``uv run mcp/server.py`` reads the PEP 723 header: valid TOML naming the SDK the target
    is written against and the Python client's httpx. uv itself reads it offline (an empty
    cache, no index) and finds the versions tested here satisfy it: nothing to install."""
    raw = read_source(str(SCHEMAS / "e2e_basics" / "openapi.json"), None)
    _, files = plan(raw, Options(targets=("mcp",), base_url="http://127.0.0.1:7860"))
    texts = {f.relpath: f.text for f in files}
    server = texts[PurePosixPath("mcp/server.py")]
    # PEP 723's reference regex
    (block,) = re.findall(r"(?m)^# /// script$\s(?P<content>(^#(| .*)$\s)+)^# ///$", server)
    header = tomllib.loads("".join(line[2:] + "\n" for line in block[0].splitlines()))
    client = tomllib.loads(texts[PurePosixPath("python/pyproject.toml")])["project"]
    assert header["dependencies"] == [mcp.MCP_REQUIREMENT, *client["dependencies"]]
    assert header["requires-python"] == client["requires-python"]
    script = tmp_path / "server.py"
    env = {**os.environ, "UV_NO_CONFIG": "1", "UV_CACHE_DIR": str(tmp_path / "cache")}

    def uv_check(text: str) -> subprocess.CompletedProcess[str]:
        script.write_text(text)
        command = ["pip", "install", "--dry-run", "--offline", "--python", sys.executable]
        return subprocess.run(
            [find_uv_bin(), *command, "-r", str(script)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )

    done = uv_check(server)
    assert done.returncode == 0 and "Would make no changes" in done.stderr, done.stderr
    refused = uv_check(server.replace(mcp.MCP_REQUIREMENT, "mcp>=99"))  # the check can fail
    assert refused.returncode != 0 and "mcp>=99" in refused.stderr, refused.stderr
