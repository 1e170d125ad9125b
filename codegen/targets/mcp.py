"""``App`` to the view model of the generated MCP server (``DIR/mcp/``).

Each endpoint becomes a tool whose schemas come from the model: inputs under the names the
app gives them where MCP hosts accept them (``property_names``), with types, choices,
defaults and the app's descriptions; outputs as one object of structured content. The server
calls the generated Python client, so the tool table names that client's methods and
keywords (``python.build`` made them). Every value reaches ``server.py`` as a Python literal
from ``literals`` and the README as Markdown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from codegen import __version__
from codegen.ir import App, Endpoint, JsonValue, ModelDef, Parameter, TypeKind
from codegen.literals import (
    comment,
    md_cell,
    md_code,
    md_fence,
    md_text,
    prose,
    py_docstring_body,
    py_literal,
    toml_string,
)
from codegen.pymodels import FILE_DATA
from codegen.targets import python
from codegen.targets.describe import endpoint_text, input_text, outputs_text
from codegen.typemap import fitting_default, input_file_spec, json_schema

# the SDK versions the generated server is written against (FastMCP-free low-level API)
MCP_REQUIREMENT = "mcp>=1.21,<2"
FILE_INPUT: dict[str, JsonValue] = {
    "type": "string",
    "description": "A local file path or an http(s) URL; the server uploads it to the app.",
}
# what every MCP host accepts as a tool or property name (the spec's recommended set, within
# 64 characters; some hosts reject anything else)
_TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_MAX_DESCRIPTION = 2000


@dataclass(frozen=True, slots=True)
class McpTool:
    name_src: str
    description_src: str
    input_schema_src: str
    output_schema_src: str
    method_src: str
    params_src: str
    file_inputs_src: str
    outputs_src: str
    name_md: str
    summary_md: str


@dataclass(frozen=True, slots=True)
class McpServer:
    header: str
    title_doc: str
    title_md: str
    source_md: str
    package: str
    package_md: str
    server_name_src: str
    title_src: str
    version_src: str
    instructions_src: str
    mcp_requirement_toml: str
    mcp_requirement_md: str
    tools: tuple[McpTool, ...]
    # MCP clients' configurations, as fenced JSON
    stdio_config_md: str
    vscode_config_md: str
    http_config_md: str
    generator_version: str


def tool_names(app: App, py: python.PyPackage) -> dict[str, str]:
    """Per endpoint, its tool name: the app's own where clients accept it, else the Python
    method's name (letters, digits, ``_``) with a numeric suffix after a clash. The app's own
    names are taken first, so that no fallback takes one of them."""
    methods = (m.name.strip("_") or m.name for m in py.methods)
    fallbacks = dict(zip((e.api_name for e in app.endpoints), methods, strict=True))
    names = {e.api_name: e.api_name for e in app.endpoints if _TOOL_NAME.fullmatch(e.api_name)}
    taken = set(names.values())
    for ep in app.endpoints:
        if ep.api_name in names:
            continue
        base = fallbacks[ep.api_name][:64] or "endpoint"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base[:60]}_{n}"
        taken.add(name)
        names[ep.api_name] = name
    return {e.api_name: names[e.api_name] for e in app.endpoints}


def property_names(ep: Endpoint, keywords: Sequence[str]) -> list[str]:
    """Per input, its property name in the tool's schema: the app's own where every host
    accepts it, else the Python client's keyword for it (ASCII letters, digits, ``_``: what
    the naming layer made of the app's name), within 64 characters, with a numeric suffix
    after a clash. The server maps each back to the keyword, so the app's name is only
    needed in the description."""
    names = {p.wire_name: p.wire_name for p in ep.parameters if _TOOL_NAME.fullmatch(p.wire_name)}
    taken = set(names.values())
    for p, keyword in zip(ep.parameters, keywords, strict=True):
        if p.wire_name in names:
            continue
        base = keyword.strip("_")[:64] or "input"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base[:60]}_{n}"
        taken.add(name)
        names[p.wire_name] = name
    return [names[p.wire_name] for p in ep.parameters]


def output_keys(ep: Endpoint) -> tuple[str, ...]:
    """The structured content's keys: each output's label as the app spells it, else
    ``output N``; a repeated one gets `` (2)``, `` (3)``."""
    keys: list[str] = []
    for o in ep.outputs:
        base = o.label.strip() or f"output {o.index}"
        key, n = base, 1
        while key in keys:
            n += 1
            key = f"{base} ({n})"
        keys.append(key)
    return tuple(keys)


def input_schema(
    ep: Endpoint, models: Mapping[str, ModelDef], names: Sequence[str]
) -> dict[str, JsonValue]:
    """``names``: each input's property name (``property_names``)."""
    properties: dict[str, JsonValue] = {}
    for p, name in zip(ep.parameters, names, strict=True):
        properties[name] = _property(p, models, renamed=name != p.wire_name)
    return {
        "type": "object",
        "properties": properties,
        "required": [
            n
            for p, n in zip(ep.parameters, names, strict=True)
            if not fitting_default(p, models)[1]
        ],
        "additionalProperties": False,
    }


def _property(p: Parameter, models: Mapping[str, ModelDef], renamed: bool) -> dict[str, JsonValue]:
    # as the Python client types it: a default the type does not take makes the input required
    ref, takes_default = fitting_default(p, models)
    schema = json_schema(ref, models, FILE_INPUT)
    if p.label:
        schema["title"] = prose(p.label, 200)
    if ref.kind is TypeKind.FILE:  # what the app says of FileData is no help with a path
        text = f"{input_text(replace(p, description=''))} {FILE_INPUT['description']}"
    else:
        text = input_text(p)
    if renamed:  # the app's own name, which MCP hosts may not take as a property name
        text = f"The app's input {json.dumps(p.wire_name, ensure_ascii=False)}. {text}"
    schema["description"] = prose(text, _MAX_DESCRIPTION)
    if p.default is not None and takes_default:
        schema["default"] = p.default.value
    return schema


def output_schema(ep: Endpoint, models: Mapping[str, ModelDef]) -> dict[str, JsonValue]:
    properties: dict[str, JsonValue] = {}
    for key, o in zip(output_keys(ep), ep.outputs, strict=True):
        schema = json_schema(o.type, models, FILE_DATA)
        what = f"{o.component} {o.label!r}." if o.component and o.label else o.component
        text = " ".join(part for part in (what, o.description) if part)
        if text:
            schema["description"] = prose(text, _MAX_DESCRIPTION)
        properties[key] = schema
    return {
        "type": "object",
        "properties": properties,
        "required": list[JsonValue](properties),
        "additionalProperties": False,
    }


def _description(ep: Endpoint) -> str:
    parts = [endpoint_text(ep)]
    if ep.generator:
        parts.append("It streams: each intermediate output is reported as progress.")
    returned = outputs_text(ep)
    parts.append(f"Returns: {returned}" if returned else "Returns nothing.")
    return prose("\n\n".join(parts), _MAX_DESCRIPTION)


def build(app: App, py: python.PyPackage) -> McpServer:
    """``py`` is the Python target's view: the tools call the methods that client has."""
    models = {m.name: m for m in app.models}
    names = tool_names(app, py)
    tools = []
    for ep, method in zip(app.endpoints, py.methods, strict=True):
        keywords = [k.name for k in method.params]
        props = property_names(ep, keywords)
        params = tuple(zip(props, keywords, strict=True))
        files = sorted(
            n
            for p, n in zip(ep.parameters, props, strict=True)
            if input_file_spec(p, models) is not None
        )
        tools.append(
            McpTool(
                name_src=py_literal(names[ep.api_name]),
                description_src=py_literal(_description(ep)),
                input_schema_src=py_literal(input_schema(ep, models, props)),
                output_schema_src=py_literal(output_schema(ep, models)),
                method_src=py_literal(method.submit_name),
                params_src=py_literal([list(p) for p in params]),
                file_inputs_src=py_literal(list[JsonValue](files)),
                outputs_src=py_literal(list[JsonValue](output_keys(ep))),
                name_md=md_code(names[ep.api_name]),
                summary_md=md_cell((ep.description or f"/{ep.api_name}").split("\n")[0]),
            )
        )
    title = prose(app.title, 200)
    source = app.space_id or app.base_url or "a saved schema"
    key = py.dist_name
    script = "/ABSOLUTE/PATH/TO/mcp/server.py"
    stdio: dict[str, JsonValue] = {"command": "uv", "args": ["run", script]}
    return McpServer(
        header=comment(f"Generated by gradio-codegen {__version__} from {title}. Do not edit."),
        title_doc=py_docstring_body(title),
        title_md=md_text(title),
        source_md=md_text(source),
        package=py.package,
        package_md=md_code(py.package),
        server_name_src=py_literal(key),
        title_src=py_literal(title),
        version_src=py_literal(__version__),
        instructions_src=py_literal(prose(app.description, _MAX_DESCRIPTION)),
        mcp_requirement_toml=toml_string(MCP_REQUIREMENT),
        mcp_requirement_md=md_code(MCP_REQUIREMENT),
        tools=tuple(tools),
        stdio_config_md=_json_md({"mcpServers": {key: stdio}}),
        vscode_config_md=_json_md({"servers": {key: {"type": "stdio", **stdio}}}),
        http_config_md=_json_md({"mcpServers": {key: {"url": "http://127.0.0.1:8000/mcp"}}}),
        generator_version=__version__,
    )


def _json_md(value: JsonValue) -> str:
    return md_fence(json.dumps(value, indent=2, ensure_ascii=False), "json")
