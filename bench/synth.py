"""A Gradio-shaped schema with any number of endpoints, for the generator's scaling benchmark.

Real apps rarely have 200 endpoints, so this repeats the endpoints of real captures (the
e2e apps' Gradio 6.31.0 openapi.json and info.json) under new names until there are enough.
Run ``python -m bench.synth OUT_DIR [COUNT]`` to write ``openapi.json`` and ``info.json``.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = tuple(
    ROOT / "fixtures" / "openapi" / name for name in ("e2e_basics", "e2e_media", "e2e_chat")
)
CALL = "/gradio_api/call/v2/{}"
STREAM = "/gradio_api/call/{}/{{event_id}}"
Schema = dict[str, Any]


def _renamed(op: Schema, old: str, new: str) -> Schema:
    """The operation with every mention of ``/old`` (a whole name) made ``/new``."""
    text = re.sub(rf"/{re.escape(old)}(?![A-Za-z0-9_])", f"/{new}", json.dumps(op))
    out: Schema = json.loads(text)
    out["operationId"] = out["operationId"].replace(old, new, 1)
    return out


def synthesize(captures: Sequence[tuple[Schema, Schema]], count: int) -> tuple[Schema, Schema]:
    """``count`` endpoints cycled from ``(openapi, info)`` captures; returns the same pair."""
    pool = [
        (name.lstrip("/"), openapi, info)
        for openapi, info in captures
        for name in info["named_endpoints"]
    ]
    if not pool:
        raise ValueError("the captures have no named endpoints")
    first = captures[0][0]
    paths: Schema = {"/gradio_api/upload": copy.deepcopy(first["paths"]["/gradio_api/upload"])}
    named: Schema = {}
    for i in range(count):
        old, openapi, info = pool[i % len(pool)]
        new = f"{old}_{i}"
        call = openapi["paths"][CALL.format(old)]
        stream = openapi["paths"][STREAM.format(old)]
        paths[CALL.format(new)] = {m: _renamed(op, old, new) for m, op in call.items()}
        paths[STREAM.format(new)] = {m: _renamed(op, old, new) for m, op in stream.items()}
        named[f"/{new}"] = copy.deepcopy(info["named_endpoints"][f"/{old}"])
    title = f"synthetic {count}"
    openapi_doc = {**first, "info": {**first["info"], "title": title}, "paths": paths}
    return openapi_doc, {"named_endpoints": named, "unnamed_endpoints": {}}


def write(out_dir: Path, count: int) -> Path:
    """Writes the synthesized pair into ``out_dir``; returns the openapi.json path."""
    captures = [
        (json.loads((d / "openapi.json").read_text()), json.loads((d / "info.json").read_text()))
        for d in TEMPLATES
    ]
    openapi, info = synthesize(captures, count)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "info.json").write_text(json.dumps(info, indent=1))
    target = out_dir / "openapi.json"
    target.write_text(json.dumps(openapi, indent=1))
    return target


JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def repaired(openapi: Schema, title: str) -> Schema:
    """``openapi`` as the other generators accept it: Gradio's ``"type": {}`` (a JSON
    component) dropped, its ``"type": "filepath"`` made ``"string"``, and a title where the
    app has none (Gradio writes null). Each of these makes them reject the whole document.
    """
    doc: Schema = _standard_types(openapi)
    if not isinstance(doc["info"].get("title"), str):
        doc["info"]["title"] = title
    return doc


def _standard_types(doc: Any) -> Any:
    if isinstance(doc, list):
        return [_standard_types(v) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out = {k: _standard_types(v) for k, v in doc.items() if k != "type"}
    kind = doc.get("type")
    if isinstance(kind, str):
        out["type"] = kind if kind in JSON_TYPES else "string"
    elif isinstance(kind, list):
        out["type"] = kind
    return out


if __name__ == "__main__":
    print(write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200))
