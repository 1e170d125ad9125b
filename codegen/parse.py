"""Raw Gradio schemas to the one intermediate model, ``ir.App``.

``info`` is the richer source (defaults, typed outputs, components); ``openapi`` alone still
works, with outputs read from the prose its descriptions carry. ``config`` tells which wire
slots are hidden State, which is the only way to line results up with declared outputs and
to give the server the input slots it indexes by. Which protocol the app speaks (and under
which prefix) comes from what answered, else from the Gradio version, else from the shape of
info.json; ``docs/protocols.md`` has the versions.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from openapi_pydantic.v3.v3_0 import OpenAPI
from pydantic import ValidationError

from codegen.errors import SchemaError
from codegen.ir import (
    App,
    Default,
    Diagnostic,
    Endpoint,
    JsonValue,
    Level,
    Output,
    Parameter,
    Protocol,
)
from codegen.literals import prose
from codegen.runtime.gradio_runtime import (
    dependency,
    fn_index,
    state_inputs,
    visible_outputs,
)
from codegen.source import PREFIX, RawSchema
from codegen.typemap import TypeBuilder

_CALL_PATH = re.compile(r"^/gradio_api/call/v2/(?P<name>[^/]+)$|^/run/(?P<old>[^/]+)$")
_PROSE_OUTPUTS = re.compile(
    r"Returns an array of \d+ elements of the following format: (?P<list>\[.*\])\s*$", re.S
)
_FETCH_NOTE = re.compile(r"\s*Output must be fetched from GET .*?/\{event_id\}\.?")
_UPLOAD_NOTE = re.compile(r"\s*File inputs must first be uploaded via POST .*", re.S)
# 3.x serializers whose values are files on the wire (Image travels as a base64 string)
_V3_FILES = frozenset(["FileSerializable", "VideoSerializable"])
_V3_FILE = {"type": "filepath"}


def parse(raw: RawSchema) -> App:
    diagnostics: list[Diagnostic] = []
    ops = _openapi_endpoints(raw.openapi) if raw.openapi is not None else {}
    builder = TypeBuilder()
    if raw.info is not None:
        named = raw.info.get("named_endpoints")
        if not isinstance(named, Mapping):
            raise SchemaError(
                "info.json has no named_endpoints: this is not a Gradio app's API info",
                "point at /gradio_api/info of a Gradio app",
            )
        specs: dict[str, tuple[Mapping[str, Any], int | None]] = {
            str(name).lstrip("/"): (spec, None)
            for name, spec in named.items()
            if isinstance(spec, Mapping) and _is_public(spec)
        }
        specs.update(_unnamed(raw.info, specs))
        endpoints = [
            _from_info(name, spec, index, ops.get(name), builder)
            for name, (spec, index) in specs.items()
        ]
        # an endpoint info.json lacks (info is memoized when first asked; see kitchen_sink /fn)
        known = {str(name).lstrip("/") for name in named}
        extra = sorted(name for name in ops if name not in known)
        endpoints += [_from_openapi(name, ops[name], builder) for name in extra]
        trusted = (
            "inputs, defaults and outputs from info.json; descriptions from openapi.json"
            if raw.openapi is not None
            else "no openapi.json: everything read from info.json"
        )
        if extra:
            only = ", ".join("/" + name for name in extra)
            trusted += f"; {only} only in openapi.json: read from it, every input required"
        diagnostics.append(_note("app", trusted))
    else:
        endpoints = [_from_openapi(name, op, builder) for name, op in ops.items()]
        diagnostics.append(
            Diagnostic(
                Level.WARNING,
                "app",
                "no info.json: outputs read from openapi.json's prose; every input is required "
                "because defaults are unknown",
            )
        )
    protocol, prefix = _protocol(raw, diagnostics)
    endpoints = _apply_config(endpoints, raw.config, protocol, diagnostics)
    if not endpoints:
        raise SchemaError(
            "the app has no public API endpoints",
            "give the app's events an api_name and leave them public (api_visibility='public')",
        )
    version = _version(raw)
    return App(
        title=_title(raw),
        description=prose(str((raw.openapi or {}).get("info", {}).get("description") or "")),
        gradio_version=version,
        base_url=raw.origin,
        space_id=raw.space_id,
        api_prefix=prefix,
        protocol=protocol,
        endpoints=tuple(sorted(endpoints, key=lambda e: e.api_name)),
        models=builder.models,
        diagnostics=tuple(diagnostics),
        mcp_server=bool((raw.config or {}).get("mcp_server")),
    )


def _note(where: str, message: str) -> Diagnostic:
    return Diagnostic(Level.INFO, where, message)


def _is_public(spec: Mapping[str, Any]) -> bool:
    visibility = spec.get("api_visibility")
    if visibility is not None:
        return bool(visibility == "public")
    return spec.get("show_api", True) is not False


def _openapi_endpoints(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validates the document's frame with openapi-pydantic and returns each call operation.

    Gradio's body schemas are not valid OpenAPI 3.0 (``type: filepath``, ``type: {}``,
    ``const``), so they are validated as opaque and read as JSON Schema by ``typemap``.
    """
    paths = doc.get("paths")
    title = doc.get("info", {}).get("title") if isinstance(doc.get("info"), dict) else None
    if title == "FastAPI" and not any(
        _CALL_PATH.match(p) for p in (paths if isinstance(paths, dict) else {})
    ):
        raise SchemaError(
            "this is the server's FastAPI schema (/openapi.json), not the app's",
            "use the app's /gradio_api/openapi.json, or just the app URL",
        )
    skeleton = copy.deepcopy(doc)
    info = skeleton.get("info")
    if isinstance(info, dict) and info.get("title") is None:
        info["title"] = ""
    for item in (skeleton.get("paths") or {}).values():
        for op in item.values() if isinstance(item, dict) else ():
            if isinstance(op, dict):
                op.pop("requestBody", None)
                op["responses"] = {"200": {"description": "stream or event id"}}
    try:
        spec = OpenAPI.model_validate(skeleton)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SchemaError(
            f"openapi.json is not valid OpenAPI: {where}: {first['msg']}",
            "point at the openapi.json a Gradio app serves at /gradio_api/openapi.json",
        ) from exc
    ops: dict[str, dict[str, Any]] = {}
    for path in spec.paths or {}:
        match = _CALL_PATH.match(path)
        post = doc["paths"][path].get("post") if isinstance(doc["paths"][path], dict) else None
        if match and isinstance(post, dict):
            ops[match.group("name") or match.group("old")] = post
    # a Gradio app's document has its upload route, or (5.x-6.11 with no public endpoint)
    # no paths at all
    paths_given = list(spec.paths or {})
    if not ops and paths_given and not any(str(path).endswith("/upload") for path in paths_given):
        raise SchemaError(
            f"this OpenAPI document ({title or 'untitled'}) is not a Gradio app's: "
            "it has no Gradio routes",
            "give a Gradio app's URL, a Space id, or the app's /gradio_api/openapi.json",
        )
    return ops


def _body_properties(op: Mapping[str, Any]) -> Mapping[str, Any]:
    try:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        props = schema.get("properties") or {}
    except (KeyError, TypeError, AttributeError):
        return {}
    return props if isinstance(props, Mapping) else {}


def _description(op: Mapping[str, Any] | None) -> str:
    if op is None:
        return ""
    text = str(op.get("description") or "")
    text = _PROSE_OUTPUTS.sub("", text)
    text = _FETCH_NOTE.sub("", text)
    if not text.strip():
        summary = _UPLOAD_NOTE.sub("", str(op.get("summary") or ""))
        text = "" if re.fullmatch(r"Endpoint /.*", summary.strip(), re.S) else summary
    return prose(text)


def _from_openapi(name: str, op: Mapping[str, Any], builder: TypeBuilder) -> Endpoint:
    params = tuple(
        Parameter(
            wire_name=str(key),
            position=i,
            type=builder.build(schema, "Input"),
            default=None,
            label=str(key),
            component="",
            description=prose(str(schema.get("description") or ""))
            if isinstance(schema, Mapping)
            else "",
        )
        for i, (key, schema) in enumerate(_body_properties(op).items())
    )
    outputs = tuple(
        Output(i, label, "", builder.build(schema, "Output"), "")
        for i, (label, schema) in enumerate(_prose_outputs(str(op.get("description") or "")))
    )
    return Endpoint(name, _description(op), params, outputs, None, None)


def _prose_outputs(description: str) -> list[tuple[str, Any]]:
    """``["output ({'type': 'string'})", ...]``: a JSON list of ``label (python-repr)``."""
    match = _PROSE_OUTPUTS.search(description)
    if match is None:
        return []
    try:
        items = json.loads(match.group("list"))
    except json.JSONDecodeError:
        return []
    outputs: list[tuple[str, Any]] = []
    for item in items if isinstance(items, list) else ():
        label, _, rest = str(item).partition(" (")
        try:
            schema = ast.literal_eval(rest[:-1]) if rest.endswith(")") else {}
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            schema = {}
        outputs.append((label, schema))
    return outputs


def _unnamed(
    info: Mapping[str, Any], named: Mapping[str, Any]
) -> dict[str, tuple[Mapping[str, Any], int]]:
    """3.x lists events without an api_name by fn index; they are called by that index."""
    found = info.get("unnamed_endpoints")
    out: dict[str, tuple[Mapping[str, Any], int]] = {}
    for key, spec in found.items() if isinstance(found, Mapping) else ():
        if str(key).isdigit() and isinstance(spec, Mapping) and f"fn_{key}" not in named:
            out[f"fn_{key}"] = (spec, int(key))
    return out


def _wire_schema(p: Mapping[str, Any], *, output: bool = False) -> Any:
    """The JSON Schema of a value; a 3.x file is a FileData to the user, like in later versions.

    3.x writes a file as ``string or {name, data, ...}`` and returns a video as a ``[video,
    subtitles]`` pair; the runtime turns both directions into FileData. An Image input is
    any file too, sent inline as a data URL; an Image result stays that data URL string.
    """
    schema = p.get("type")
    serializer = p.get("serializer")
    if serializer == "ImgSerializable" and not output:
        return _V3_FILE
    if serializer not in _V3_FILES or not isinstance(schema, Mapping):
        return schema
    if output and p.get("component") == "Video":
        return {"type": "array", "prefixItems": [_V3_FILE, {"anyOf": [_V3_FILE, {"type": "null"}]}]}
    return {"type": "array", "items": _V3_FILE} if schema.get("type") == "array" else _V3_FILE


def _from_info(
    name: str,
    spec: Mapping[str, Any],
    index: int | None,
    op: Mapping[str, Any] | None,
    builder: TypeBuilder,
) -> Endpoint:
    params: list[Parameter] = []
    for i, p in enumerate(spec.get("parameters") or ()):
        component = str(p.get("component") or "")
        wire = p.get("parameter_name") or p.get("label") or f"param_{i}"
        schema = _wire_schema(p)
        params.append(
            Parameter(
                wire_name=str(wire),
                position=i,
                type=builder.build(schema, component + "Value"),
                default=Default(_json(p.get("parameter_default")))
                if p.get("parameter_has_default")
                else None,
                label=str(p.get("label") or ""),
                component=component,
                description=_type_description(schema, p.get("python_type")),
                example=_json(p.get("example_input")),
                inline_file=p.get("serializer") == "ImgSerializable",
            )
        )
    outputs = tuple(
        Output(
            index=i,
            label=str(r.get("label") or ""),
            component=str(r.get("component") or ""),
            type=builder.build(
                _wire_schema(r, output=True), str(r.get("component") or "") + "Value"
            ),
            description=_type_description(r.get("type"), r.get("python_type")),
        )
        for i, r in enumerate(spec.get("returns") or ())
    )
    description = prose(str(spec.get("description") or "")) or _description(op)
    return Endpoint(name, description, tuple(params), outputs, None, index)


def _type_description(schema: Any, python_type: Any) -> str:
    for source in (schema, python_type):
        if isinstance(source, Mapping) and source.get("description"):
            return prose(str(source["description"]), 300)
    return ""


def _json(value: Any) -> JsonValue:
    """Only JSON survives into the model: anything else becomes its string form."""
    try:
        result: JsonValue = json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return str(value)
    return result


def _apply_config(
    endpoints: list[Endpoint],
    config: Mapping[str, Any] | None,
    protocol: Protocol,
    diagnostics: list[Diagnostic],
) -> list[Endpoint]:
    """Wire positions of the declared outputs and hidden inputs, fn indexes and generators,
    from ``/config``; for 3.x, whose info has none, the defaults too.

    Without it the positions stay unknown and the client reads /config on first use.
    """
    if config is None:
        diagnostics.append(
            _note("app", "no config.json: the client reads the app's /config on its first call")
        )
        return endpoints
    out: list[Endpoint] = []
    for ep in endpoints:
        index = ep.fn_index  # set for 3.x events that have no api_name
        wire = visible_outputs(config, ep.api_name, index)
        if wire is not None and len(wire) != len(ep.outputs):
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    f"endpoint /{ep.api_name}",
                    f"config lists {len(wire)} visible outputs, info {len(ep.outputs)}; "
                    "trusting info",
                )
            )
            wire = None
        found = dependency(config, ep.api_name, index)
        types = found[1].get("types") if found else None
        hidden = state_inputs(config, ep.api_name, index) or ()
        if protocol is Protocol.ONESHOT and found is not None:
            ep = _v3_defaults(ep, config, found[1], hidden)
        if found is not None:
            ep = _with_info(ep, config, found[1], hidden)
        out.append(
            replace(
                ep,
                wire_outputs=wire if wire is not None else tuple(range(len(ep.outputs))),
                fn_index=fn_index(config, ep.api_name, index),
                generator=isinstance(types, Mapping) and bool(types.get("generator")),
                state_inputs=hidden,
            )
        )
    return out


def _with_info(
    ep: Endpoint, config: Mapping[str, Any], dep: Mapping[str, Any], hidden: tuple[int, ...]
) -> Endpoint:
    """An input component's ``info=`` text (only /config has it) leads its description, so
    it reaches the docstrings and JSDoc."""
    ids = [c for n, c in enumerate(dep.get("inputs") or ()) if n not in hidden]
    components = config.get("components")
    if len(ids) != len(ep.parameters) or not isinstance(components, list):
        return ep
    infos = {
        c.get("id"): (c.get("props") or {}).get("info")
        for c in components
        if isinstance(c, Mapping) and isinstance(c.get("props") or {}, Mapping)
    }
    params = []
    for p, i in zip(ep.parameters, ids, strict=True):
        info = infos.get(i) if isinstance(i, int) else None
        text = prose(info, 300) if isinstance(info, str) else ""
        if text and not text.endswith((".", "!", "?", ":")):
            text += "."
        if text and text not in p.description:
            p = replace(p, description=f"{text} {p.description}".strip())
        params.append(p)
    return replace(ep, parameters=tuple(params))


def _v3_defaults(
    ep: Endpoint, config: Mapping[str, Any], dep: Mapping[str, Any], hidden: tuple[int, ...]
) -> Endpoint:
    """Gradio 4.x and later call an input optional when its component has a value; 3.x's
    info says nothing of that, so the same rule is applied to its /config.
    """
    ids = [c for n, c in enumerate(dep.get("inputs") or ()) if n not in hidden]
    if len(ids) != len(ep.parameters):
        return ep
    components = config.get("components")
    values = (
        {
            c.get("id"): (c.get("props") or {}).get("value")
            for c in components
            if isinstance(c, Mapping)
        }
        if isinstance(components, list)
        else {}
    )
    params = tuple(
        replace(p, default=Default(_json(values[i])))
        if p.default is None and values.get(i) is not None
        else p
        for p, i in zip(ep.parameters, ids, strict=True)
    )
    return replace(ep, parameters=params)


def _protocol(raw: RawSchema, diagnostics: list[Diagnostic]) -> tuple[Protocol, str]:
    """3.x answers one-shot ``/run`` calls; 4.x serves the queue at the root, later versions
    under ``/gradio_api``. What answered a live fetch wins over the version, then info's shape.
    """
    major = _version(raw).split(".", 1)[0]
    info = raw.info or {}
    named = info.get("named_endpoints")
    specs = [s for s in (named.values() if isinstance(named, Mapping) else ()) if _is_dict(s)]
    params = [p for s in specs for p in s.get("parameters") or () if _is_dict(p)]
    if major == "3" or (
        major == "unknown"
        and (bool(info.get("unnamed_endpoints")) or any("serializer" in p for p in params))
    ):
        protocol, prefix, why = Protocol.ONESHOT, "", "Gradio 3.x"
    elif raw.api_prefix is not None:
        protocol, prefix, why = Protocol.QUEUE, raw.api_prefix, "the routes the app answered"
    elif major != "unknown":
        protocol, prefix, why = Protocol.QUEUE, "" if major == "4" else PREFIX, f"Gradio {major}"
    elif raw.openapi is not None or any("description" in s for s in specs):
        protocol, prefix, why = Protocol.QUEUE, PREFIX, "info.json's shape (5.x or later)"
    else:
        protocol, prefix, why = Protocol.QUEUE, "", "info.json's shape (4.x); pass a config.json"
    diagnostics.append(
        _note("app", f"protocol {protocol.value} under {prefix or '/'!r}, from {why}")
    )
    return protocol, prefix


def _is_dict(value: Any) -> bool:
    return isinstance(value, Mapping)


def _version(raw: RawSchema) -> str:
    for doc, path in ((raw.openapi, ("info", "version")), (raw.config, ("version",))):
        value: Any = doc
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if isinstance(value, str) and value:
            return prose(value, 40)
    return "unknown"


def _title(raw: RawSchema) -> str:
    for candidate in (
        (raw.config or {}).get("title"),
        ((raw.openapi or {}).get("info") or {}).get("title"),
    ):
        if (
            isinstance(candidate, str)
            and candidate.strip()
            and candidate not in ("Gradio", "FastAPI")
        ):
            return prose(candidate, 200)
    return raw.space_id or raw.name_hint
