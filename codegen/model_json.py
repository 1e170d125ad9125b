"""The intermediate model as JSON: the contract for anyone who builds on the generator.

``gradio-codegen model SRC`` prints it, and custom templates (``--templates``) render from
it. Its shape is ``model.schema.json`` beside this module, versioned by ``model_version``:
a change that removes or retypes a key raises the version. Keys are sorted, lists keep the
app's order, so the same schemas always give the same text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from codegen.ir import App, Endpoint, ModelDef, Output, Parameter, TypeKind, TypeRef
from codegen.literals import escape_surrogates
from codegen.typemap import file_spec, input_file_spec

MODEL_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("model.schema.json")

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]


def type_json(ref: TypeRef) -> dict[str, Json]:
    """A type as a tree: ``kind``, then ``args`` / ``literals`` / ``model`` where they apply."""
    out: dict[str, Json] = {"kind": ref.kind.value}
    if ref.args:
        out["args"] = [type_json(a) for a in ref.args]
    if ref.kind is TypeKind.LITERAL:
        out["literals"] = list(ref.literals)
    if ref.model is not None:
        out["model"] = ref.model
    return out


def _choices(ref: TypeRef) -> list[Json] | None:
    """The values a dropdown or radio allows: a literal, or a list of one."""
    if ref.kind is TypeKind.LITERAL:
        return list(ref.literals)
    if ref.kind is TypeKind.LIST and ref.args[0].kind is TypeKind.LITERAL:
        return list(ref.args[0].literals)
    return None


def _parameter(p: Parameter, models: Mapping[str, ModelDef]) -> dict[str, Json]:
    return {
        "wire_name": p.wire_name,
        "position": p.position,
        "type": type_json(p.type),
        "has_default": p.default is not None,
        "default": None if p.default is None else p.default.value,
        "choices": _choices(p.type),
        "label": p.label,
        "component": p.component,
        "description": p.description,
        "example": p.example,
        "inline_file": p.inline_file,
        "files": input_file_spec(p, models),
    }


def _output(o: Output, models: Mapping[str, ModelDef]) -> dict[str, Json]:
    return {
        "index": o.index,
        "label": o.label,
        "component": o.component,
        "type": type_json(o.type),
        "description": o.description,
        "files": file_spec(o.type, models),
    }


def _endpoint(e: Endpoint, models: Mapping[str, ModelDef]) -> dict[str, Json]:
    return {
        "api_name": e.api_name,
        "description": e.description,
        "fn_index": e.fn_index,
        "generator": e.generator,
        "parameters": [_parameter(p, models) for p in e.parameters],
        "outputs": [_output(o, models) for o in e.outputs],
        "wire_outputs": None if e.wire_outputs is None else list(e.wire_outputs),
        "state_inputs": None if e.state_inputs is None else list(e.state_inputs),
        "takes_files": any(input_file_spec(p, models) is not None for p in e.parameters),
        "returns_files": any(file_spec(o.type, models) is not None for o in e.outputs),
    }


def model_json(app: App) -> dict[str, Json]:
    models = {m.name: m for m in app.models}
    return {
        "model_version": MODEL_VERSION,
        "title": app.title,
        "description": app.description,
        "gradio_version": app.gradio_version,
        "base_url": app.base_url,
        "space_id": app.space_id,
        "api_prefix": app.api_prefix,
        "protocol": app.protocol.value,
        "mcp_server": app.mcp_server,
        "models": [
            {
                "name": m.name,
                "fields": [
                    {"key": k, "type": type_json(t), "required": k in m.required}
                    for k, t in m.fields
                ],
            }
            for m in app.models
        ],
        "endpoints": [_endpoint(e, models) for e in app.endpoints],
        "diagnostics": [
            {"level": d.level.value, "where": d.where, "message": d.message}
            for d in app.diagnostics
        ],
    }


def dumps(app: App) -> str:
    """Sorted, indented JSON; lone surrogates (no UTF-8 text can hold them) stay escaped.

    A non-finite default (Python servers write ``NaN``) comes out as ``NaN``, as it came in.
    """
    text = json.dumps(model_json(app), indent=2, sort_keys=True, ensure_ascii=False)
    return escape_surrogates(text) + "\n"
