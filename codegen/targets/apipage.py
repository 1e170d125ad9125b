"""``App`` to the "Use via API" page as Markdown, with snippets that run as they are.

Each snippet calls the endpoint with its required inputs: the app's example where it fits
the type, else a value made from the type. Files are given by URL (the app's example file).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from codegen import __version__
from codegen.ir import App, Endpoint, JsonValue, ModelDef, Parameter, TypeKind, TypeRef
from codegen.literals import (
    js_literal,
    md_cell,
    md_code,
    md_fence,
    md_text,
    prose,
    py_literal,
    sh_quote,
)
from codegen.naming import PY_RESERVED, NameScope, curl_script_stems, js_method_names
from codegen.targets import mcp as mcp_target
from codegen.targets import python
from codegen.targets.curl import input_kind
from codegen.targets.describe import outputs_text
from codegen.typemap import conforms, fitting_default, py_annotation, shaped, tuple_spec


@dataclass(frozen=True, slots=True)
class FileUrl:
    """A file input's example, which each language writes its own way."""

    url: str


PyNames = tuple[NameScope, dict[str, str], dict[str, str]]
Value = JsonValue | FileUrl | list["Value"] | tuple["Value", ...] | dict[str, "Value"]


@dataclass(frozen=True, slots=True)
class InputRow:
    name: str
    type: str
    default: str
    choices: str
    component: str
    example: str
    description: str


@dataclass(frozen=True, slots=True)
class OutputRow:
    label: str
    type: str
    component: str


@dataclass(frozen=True, slots=True)
class Snippet:
    title: str
    block: str


@dataclass(frozen=True, slots=True)
class EndpointSection:
    heading: str
    anchor_name: str
    description: str
    inputs: tuple[InputRow, ...]
    outputs: tuple[OutputRow, ...]
    outputs_summary: str
    streams: bool
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True, slots=True)
class ApiPage:
    title: str
    description: str
    source: str
    gradio_version: str
    generator_version: str
    python_package: str
    js_package: str
    base_url_note: str
    mcp_block: str
    # the generated MCP server (the mcp target): how to configure a client for it
    mcp_server_block: str
    endpoints: tuple[EndpointSection, ...]


def build(app: App, py: python.PyPackage, mcp_view: mcp_target.McpServer | None = None) -> ApiPage:
    """``py`` is the Python target's view: the page names what that client names;
    ``mcp_view`` the generated MCP server's, when the folder has one."""
    js_names = js_method_names(e.api_name for e in app.endpoints)
    curl_names = curl_script_stems(e.api_name for e in app.endpoints)
    names = python.model_names(app)
    models = {m.name: m for m in app.models}
    target = app.space_id or app.base_url or "http://127.0.0.1:7860"
    sections = []
    for ep, method in zip(app.endpoints, py.methods, strict=True):
        # what Python requires: an input whose default its type does not take is given too
        required = [p for p in ep.parameters if not fitting_default(p, models)[1]]
        values = [_example(p, models) for p in required]
        py_names = [pp.name for p, pp in zip(ep.parameters, method.params, strict=True)]
        py_args = [
            (
                py_names[p.position] if p.position < len(py_names) else p.wire_name,
                _py_shaped(v, p, models),
            )
            for p, v in zip(required, values, strict=True)
        ]
        call_name = js_names[ep.api_name][0]
        snippets = (
            Snippet(
                "Python (the generated client)",
                md_fence(_python(py.package, method.name, py_args, app.base_url), "python"),
            ),
            Snippet(
                "JavaScript (the generated client)",
                md_fence(_javascript(call_name, required, values, app.base_url), "js"),
            ),
            Snippet(
                "curl (the generated script)",
                md_fence(_curl(curl_names[ep.api_name], required, values, app.base_url), "bash"),
            ),
            Snippet(
                "gradio_client",
                md_fence(_gradio_client(ep, models, target), "python"),
            ),
            Snippet(
                "@gradio/client",
                md_fence(_gradio_js(ep, required, values, target), "js"),
            ),
        )
        sections.append(
            EndpointSection(
                heading=md_code("/" + ep.api_name),
                anchor_name=md_text(method.name),
                description=md_text(ep.description),
                inputs=tuple(_input_row(p, names) for p in ep.parameters),
                outputs=tuple(
                    OutputRow(
                        label=md_cell(o.label or f"output {o.index}"),
                        type=md_code(_py_type(o.type, names, input_=False)),
                        component=md_cell(o.component),
                    )
                    for o in ep.outputs
                ),
                outputs_summary=md_text(outputs_text(ep) or "Nothing."),
                streams=ep.generator,
                snippets=snippets,
            )
        )
    mcp = ""
    if app.mcp_server and app.base_url:
        config = {"mcpServers": {py.dist_name: {"url": f"{app.base_url}{app.api_prefix}/mcp/"}}}
        mcp = md_fence(json.dumps(config, indent=2, ensure_ascii=False), "json")
    return ApiPage(
        title=md_text(prose(app.title, 200)),
        description=md_text(app.description),
        source=md_text(app.space_id or app.base_url or "a saved schema"),
        gradio_version=md_text(app.gradio_version),
        generator_version=__version__,
        python_package=md_code(py.package),
        js_package=md_code(py.dist_name),
        base_url_note=""
        if app.base_url
        else md_text("This page was made from a saved schema: set the app's URL where shown."),
        mcp_block=mcp,
        mcp_server_block="" if mcp_view is None else mcp_view.stdio_config_md,
        endpoints=tuple(sections),
    )


def _py_type(ref: TypeRef, names: PyNames, *, input_: bool) -> str:
    """The annotation the Python client declares: its class names, input twins for inputs."""
    _, class_names, input_names = names
    chosen = {**class_names, **input_names} if input_ else class_names
    return py_annotation(ref, chosen.__getitem__, py_literal, input_=input_)


def _input_row(p: Parameter, names: PyNames) -> InputRow:
    choices = ""
    if p.type.kind is TypeKind.LITERAL:
        choices = md_cell(", ".join(json.dumps(v, ensure_ascii=False) for v in p.type.literals))
    return InputRow(
        name=md_code(p.wire_name),
        type=md_code(_py_type(p.type, names, input_=True)),
        default="required"
        if p.default is None
        else md_code(json.dumps(p.default.value, ensure_ascii=False)),
        choices=choices,
        component=md_cell(p.component),
        example=md_code(json.dumps(p.example, ensure_ascii=False)[:200])
        if p.example is not None
        else "",
        description=md_cell(p.label if p.label and p.label != p.wire_name else "")
        + (" " if p.label and p.description else "")
        + md_cell(p.description),
    )


def _example(p: Parameter, models: Mapping[str, ModelDef]) -> Value:
    """The app's example where it fits, else a value of the type."""
    if p.type.kind is TypeKind.FILE or (
        p.type.kind is TypeKind.LIST and p.type.args[0].kind is TypeKind.FILE
    ):
        return _files(p.example, p.type.kind is TypeKind.LIST)
    if p.example is not None and conforms(p.example, p.type, models):
        return p.example
    return _made(p.type, models)


def _files(example: JsonValue, many: bool) -> Value:
    """Each example file as a URL; a lone file whose example is an empty list gets a stand-in."""
    items = example if isinstance(example, list) and (many or example) else [example]
    urls: list[Value] = []
    for item in items:
        url = item.get("url") or item.get("path") if isinstance(item, dict) else item
        urls.append(FileUrl(str(url) if url else "https://example.com/file.txt"))
    return urls if many else urls[0]


def _made(ref: TypeRef, models: Mapping[str, ModelDef]) -> Value:
    match ref.kind:
        case TypeKind.FILE:
            return FileUrl("https://example.com/file.txt")
        case TypeKind.STR:
            return "Hello!!"
        case TypeKind.INT | TypeKind.FLOAT:
            return 3
        case TypeKind.BOOL:
            return True
        case TypeKind.LITERAL:
            return ref.literals[0]
        case TypeKind.LIST:
            return [_made(ref.args[0], models)]
        case TypeKind.TUPLE:
            return [_made(a, models) for a in ref.args]
        case TypeKind.UNION:
            rest = [a for a in ref.args if a.kind is not TypeKind.NULL]
            return _made(rest[0], models) if rest else None
        case TypeKind.OBJECT:
            model = models.get(ref.model or "")
            if model is None:
                return {}
            return {k: _made(t, models) for k, t in model.fields if k in model.required}
        case _:
            return None if ref.kind is TypeKind.NULL else {}


def _src(value: Value, file_src: str, literal: Callable[[JsonValue], str]) -> str:
    """A value as source text; ``file_src`` wraps a file URL (``{}`` is the URL literal),
    at any depth; a tuple (Python's shape of a fixed-length array) stays one."""
    if isinstance(value, FileUrl):
        return file_src.format(literal(value.url))
    if isinstance(value, list):
        return "[" + ", ".join(_src(v, file_src, literal) for v in value) + "]"
    if isinstance(value, tuple):
        parts = [_src(v, file_src, literal) for v in value]
        return f"({parts[0]},)" if len(parts) == 1 else "(" + ", ".join(parts) + ")"
    if isinstance(value, dict):
        items = [f"{_key(k, literal)}: {_src(v, file_src, literal)}" for k, v in value.items()]
        return "{" + ", ".join(items) + "}"
    return literal(value)


def _key(key: str, literal: Callable[[JsonValue], str]) -> str:
    """An object key as ``literal`` writes it inside an object (``__proto__`` computed in JS)."""
    text = literal({key: None})
    return text[1 : text.rindex(":")]


def _py_shaped(value: Value, p: Parameter, models: Mapping[str, ModelDef]) -> Value:
    """Python's snippet writes a fixed-length array as the tuple its annotation wants."""
    spec = tuple_spec(p.type, models)
    if spec is None or isinstance(value, FileUrl):
        return value
    return shaped(value, spec)  # type: ignore[arg-type,return-value]


def _client_ctor(base_url: str, py: bool) -> str:
    if base_url:
        return ""
    return 'base_url="http://127.0.0.1:7860"' if py else '{ baseUrl: "http://127.0.0.1:7860" }'


def _python(package: str, method: str, args: list[tuple[str, Value]], base_url: str) -> str:
    call = ", ".join(f"{n}={_src(v, '{}', py_literal)}" for n, v in args)
    return (
        f"from {package} import Client\n\n"
        f"with Client({_client_ctor(base_url, True)}) as client:\n"
        f"    result = client.{method}({call})\n"
        f"    print(result)\n"
    )


def _object(params: list[Parameter], values: list[Value], file_src: str) -> str:
    if not params:
        return "{}"
    items = ", ".join(
        f"{js_literal(p.wire_name)}: {_src(v, file_src, js_literal)}"
        for p, v in zip(params, values, strict=True)
    )
    return "{ " + items + " }"


def _javascript(method: str, params: list[Parameter], values: list[Value], base_url: str) -> str:
    return (
        'import { Client } from "./js/index.js";\n\n'
        f"const client = new Client({_client_ctor(base_url, False)});\n"
        f"const result = await client.{method}({_object(params, values, '{}')});\n"
        "console.log(result);\n"
    )


def _curl(method: str, params: list[Parameter], values: list[Value], base_url: str) -> str:
    words = [f"./curl/{method}.sh"]
    for p, v in zip(params, values, strict=True):
        many = v if isinstance(v, list) and input_kind(p.type) == "files" else [v]
        for item in many:
            if isinstance(item, FileUrl):
                text = item.url
            elif isinstance(item, str) and input_kind(p.type) in ("string", "choice"):
                text = item
            else:  # a file inside an object travels as a FileData whose path is its URL
                text = json.dumps(item, ensure_ascii=False, default=_file_data)
            words.append(sh_quote(f"{p.wire_name}={text}"))
    env = "" if base_url else "GRADIO_URL=http://127.0.0.1:7860 "
    return env + " ".join(words) + "\n"


def _file_data(value: object) -> JsonValue:
    if not isinstance(value, FileUrl):
        raise TypeError(type(value).__name__)
    return {"path": value.url, "meta": {"_type": "gradio.FileData"}}


def _gradio_client(ep: Endpoint, models: Mapping[str, ModelDef], target: str) -> str:
    """``predict`` takes keywords unless an input name cannot be one; then all positionally."""
    values = [_example(p, models) if p.default is None else p.default.value for p in ep.parameters]
    taken = {"api_name", "fn_index", "headers", "self", "args", "kwargs"}
    keywords = all(
        p.wire_name.isidentifier() and p.wire_name not in PY_RESERVED | taken for p in ep.parameters
    )
    if keywords:
        args = [
            f"{p.wire_name}={_src(v, 'handle_file({})', py_literal)}"
            for p, v in zip(ep.parameters, values, strict=True)
            if p.default is None
        ]
    else:
        args = [_src(v, "handle_file({})", py_literal) for v in values]
    uses_files = any("handle_file(" in a for a in args)
    imports = "Client, handle_file" if uses_files else "Client"
    call = ", ".join([*args, f"api_name={py_literal('/' + ep.api_name)}"])
    return (
        f"from gradio_client import {imports}\n\n"
        f"client = Client({py_literal(target)})\n"
        f"result = client.predict({call})\n"
        "print(result)\n"
    )


def _gradio_js(ep: Endpoint, params: list[Parameter], values: list[Value], target: str) -> str:
    obj = _object(params, values, "handle_file({})")
    imports = "Client, handle_file" if "handle_file(" in obj else "Client"
    return (
        f'import {{ {imports} }} from "@gradio/client";\n\n'
        f"const client = await Client.connect({js_literal(target)});\n"
        f"const result = await client.predict({js_literal('/' + ep.api_name)}, {obj});\n"
        "console.log(result.data);\n"
        "client.close();\n"
        "// @gradio/client may keep Node's event loop alive after close(), so end it here\n"
        "globalThis.process?.exit(0);\n"
    )
