"""JSON Schema (as Gradio serves it) to ``TypeRef``, and ``TypeRef`` to Python annotations.

Gradio's schemas are not clean JSON Schema: refs are relative to the nearest ``$defs``,
``{"type": {}}`` means any JSON, files are objects or ``type: filepath``, and objects carry
pydantic titles. This module is the one place that knows those rules.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from codegen.ir import JsonScalar, JsonValue, ModelDef, Parameter, TypeKind, TypeRef

ANY = TypeRef(TypeKind.ANY)
FILE = TypeRef(TypeKind.FILE)
_MAX_DEPTH = 32
_SCALARS = {
    "string": TypeKind.STR,
    "integer": TypeKind.INT,
    "number": TypeKind.FLOAT,
    "boolean": TypeKind.BOOL,
    "null": TypeKind.NULL,
}


def is_file_schema(schema: Mapping[str, Any]) -> bool:
    if schema.get("type") == "filepath" or schema.get("format") == "filepath":
        return True
    # how openapi.json's prose writes a file output
    if schema.get("type") == "object" and "url key to fetch" in str(schema.get("description")):
        return True
    props = schema.get("properties")
    return (
        isinstance(props, Mapping)
        and "path" in props
        and "url" in props
        and ("meta" in props or "orig_name" in props)
    )


class TypeBuilder:
    """Builds TypeRefs for one app and collects the object models they name."""

    def __init__(self) -> None:
        self._models: dict[str, ModelDef] = {}
        self._by_shape: dict[str, str] = {}

    @property
    def models(self) -> tuple[ModelDef, ...]:
        return tuple(sorted(self._models.values(), key=lambda m: m.name))

    def build(self, schema: Any, hint: str) -> TypeRef:
        """``hint`` names an untitled object model (e.g. the component's name)."""
        return self._build(schema, hint, (), 0, frozenset())

    def _build(
        self,
        schema: Any,
        hint: str,
        defs: tuple[Mapping[str, Any], ...],
        depth: int,
        seen: frozenset[str],
    ) -> TypeRef:
        if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
            return ANY
        if isinstance(schema.get("$defs"), Mapping):
            defs = (schema["$defs"], *defs)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            target = next((d[name] for d in defs if name in d), None)
            if target is None or ref in seen:
                return ANY
            return self._build(target, name, defs, depth + 1, seen | {ref})
        if is_file_schema(schema):
            return FILE

        def sub(s: Any, h: str = hint) -> TypeRef:
            return self._build(s, h, defs, depth + 1, seen)

        if "const" in schema and _is_scalar(schema["const"]):
            return TypeRef(TypeKind.LITERAL, literals=(schema["const"],))
        enum = schema.get("enum")
        if isinstance(enum, list) and enum and all(_is_scalar(v) for v in enum):
            return TypeRef(TypeKind.LITERAL, literals=_unique(enum))
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                return union([sub(m) for m in members])
        kind = schema.get("type")
        if isinstance(kind, list):
            return union([sub({**schema, "type": k}) for k in kind])
        if isinstance(kind, str) and kind in _SCALARS:
            return TypeRef(_SCALARS[kind])
        if kind == "array":
            prefix = schema.get("prefixItems")
            if isinstance(prefix, list) and prefix:
                return TypeRef(TypeKind.TUPLE, args=tuple(sub(s) for s in prefix))
            items = schema.get("items")
            if isinstance(items, list) and items:  # draft 4-2019's way to write a tuple
                return TypeRef(TypeKind.TUPLE, args=tuple(sub(s) for s in items))
            return TypeRef(TypeKind.LIST, args=(sub(schema.get("items")),))
        if kind == "object" or "properties" in schema:
            props = schema.get("properties")
            if isinstance(props, Mapping) and props:
                return self._model(schema, props, hint, sub)
            extra = schema.get("additionalProperties")
            value = sub(extra) if isinstance(extra, Mapping) else ANY
            return TypeRef(TypeKind.DICT, args=(TypeRef(TypeKind.STR), value))
        return ANY

    def _model(
        self,
        schema: Mapping[str, Any],
        props: Mapping[str, Any],
        hint: str,
        sub: Callable[[Any, str], TypeRef],
    ) -> TypeRef:
        required = schema.get("required")
        required_set = (
            {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        )
        fields = tuple(
            (str(key), sub(value, _title_hint(value, hint + "_" + str(key))))
            for key, value in props.items()
        )
        required_keys = frozenset(k for k, _ in fields if k in required_set)
        shape_doc = model_schema(ModelDef("", fields, required_keys))
        shape = hashlib.sha256(json.dumps(shape_doc, sort_keys=True).encode()).hexdigest()
        if shape in self._by_shape:
            return TypeRef(TypeKind.OBJECT, model=self._by_shape[shape])
        base = _title_hint(schema, hint)
        name, n = base, 1
        while name in self._models:
            n += 1
            name = f"{base}{n}"
        self._models[name] = ModelDef(name, fields, required_keys)
        self._by_shape[shape] = name
        return TypeRef(TypeKind.OBJECT, model=name)


def _title_hint(schema: Any, fallback: str) -> str:
    title = schema.get("title") if isinstance(schema, Mapping) else None
    raw = title if isinstance(title, str) and title.strip() else fallback
    words = re.findall(r"[A-Za-z0-9]+", raw)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name or name[0].isdigit():
        name = "Model" + name
    return name


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _unique(values: list[JsonScalar]) -> tuple[JsonScalar, ...]:
    out: list[JsonScalar] = []
    for v in values:
        if not any(v == o and type(v) is type(o) for o in out):
            out.append(v)
    return tuple(out)


def union(members: list[TypeRef]) -> TypeRef:
    """Flattens and dedupes; merges literal members; one member is itself."""
    flat: list[TypeRef] = []
    for m in members:
        for part in m.args if m.kind is TypeKind.UNION else (m,):
            if part.kind is TypeKind.ANY:
                return ANY
            if part not in flat:
                flat.append(part)
    literals = [m for m in flat if m.kind is TypeKind.LITERAL]
    if len(literals) > 1:
        merged = TypeRef(
            TypeKind.LITERAL, literals=_unique([v for m in literals for v in m.literals])
        )
        flat = [merged if m is literals[0] else m for m in flat if m not in literals[1:]]
    return flat[0] if len(flat) == 1 else TypeRef(TypeKind.UNION, args=tuple(flat))


def _same(name: str) -> str:
    return name


def _schema_of(
    ref: TypeRef, leaf: Callable[[TypeRef], dict[str, JsonValue] | None]
) -> dict[str, JsonValue]:
    """The JSON Schema of ``ref``'s structure (lists, tuples as ``prefixItems``, dicts,
    unions, scalars); ``leaf`` writes files, models and choices, where the two schemas
    below differ, by returning their schema (None: the structural one)."""

    def go(r: TypeRef) -> dict[str, JsonValue]:
        own = leaf(r)
        if own is not None:
            return own
        match r.kind:
            case TypeKind.ANY:
                return {}
            case TypeKind.LITERAL:
                return {"enum": list(r.literals)}
            case TypeKind.LIST:
                return {"type": "array", "items": go(r.args[0])}
            case TypeKind.TUPLE:
                return {
                    "type": "array",
                    "prefixItems": [go(a) for a in r.args],
                    "minItems": len(r.args),
                    "maxItems": len(r.args),
                }
            case TypeKind.DICT:
                return {"type": "object", "additionalProperties": go(r.args[1])}
            case TypeKind.UNION:
                return {"anyOf": [go(a) for a in r.args]}
            case _:
                return {"type": _SCALAR_NAMES[r.kind]}

    return go(ref)


def to_schema(
    ref: TypeRef, model_name: Callable[[str], str] = _same, file_ref: str = "#/$defs/FileData"
) -> JsonValue:
    """A TypeRef back to a plain JSON Schema whose objects point into ``#/$defs``, and whose
    files point at ``file_ref``; a tuple is ``prefixItems``, as Gradio writes one."""

    def leaf(r: TypeRef) -> dict[str, JsonValue] | None:
        if r.kind is TypeKind.FILE:
            return {"$ref": file_ref}
        if r.kind is TypeKind.OBJECT:
            return {"$ref": f"#/$defs/{model_name(r.model or '')}"}
        return None

    return _schema_of(ref, leaf)


def model_schema(
    model: ModelDef, model_name: Callable[[str], str] = _same, file_ref: str = "#/$defs/FileData"
) -> dict[str, JsonValue]:
    """The object schema of a model; only structure, none of the app's text."""
    return {
        "type": "object",
        "properties": {k: to_schema(t, model_name, file_ref) for k, t in model.fields},
        "required": list[JsonValue](sorted(model.required)),
    }


_SCALAR_NAMES = {v: k for k, v in _SCALARS.items()}


def _json_type(value: JsonScalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "number" if isinstance(value, float) else "string"


def json_schema(
    ref: TypeRef, models: Mapping[str, ModelDef], file: Mapping[str, JsonValue]
) -> dict[str, JsonValue]:
    """A self-contained JSON Schema (draft 2020-12) of a value, for consumers that resolve no
    ``$ref`` (MCP clients): models are inlined, which ends because a model never holds itself
    (``TypeBuilder`` turns a recursive ``$ref`` into ANY), and a file is ``file``."""

    def leaf(r: TypeRef) -> dict[str, JsonValue] | None:
        match r.kind:
            case TypeKind.FILE:
                return dict(file)
            case TypeKind.OBJECT:
                model = models.get(r.model or "")
                if model is None:
                    return {"type": "object"}
                return {
                    "type": "object",
                    "properties": {k: _schema_of(t, leaf) for k, t in model.fields},
                    "required": list[JsonValue](sorted(model.required)),
                }
            case TypeKind.LITERAL:
                # the type too, for clients that read no enum (or want a type beside it)
                kinds = list(dict.fromkeys(_json_type(v) for v in r.literals))
                kind: JsonValue = kinds[0] if len(kinds) == 1 else list[JsonValue](kinds)
                return {"type": kind, "enum": list(r.literals)}
            case _:
                return None

    return _schema_of(ref, leaf)


def py_annotation(
    ref: TypeRef,
    model_name: Callable[[str], str],
    literal: Callable[[JsonScalar], str],
    *,
    input_: bool,
) -> str:
    """Python annotation text; file inputs accept anything the runtime can upload."""

    def go(r: TypeRef) -> str:
        match r.kind:
            case TypeKind.ANY:
                return "JsonValue"
            case TypeKind.FILE:
                return "FileInput" if input_ else "FileData"
            case TypeKind.OBJECT:
                assert r.model is not None
                return model_name(r.model)
            case TypeKind.LITERAL:
                if r.literals == (None,):
                    return "None"
                # typing.Literal takes no floats: those widen to float, which takes ints too
                floats = any(isinstance(v, float) for v in r.literals)
                values = [
                    v
                    for v in r.literals
                    if v is not None and not (floats and isinstance(v, int | float))
                ]
                parts = [f"Literal[{', '.join(literal(v) for v in values)}]"] if values else []
                if floats:
                    parts.append("float")
                text = " | ".join(parts)
                return f"{text} | None" if None in r.literals else text
            case TypeKind.LIST:
                return f"list[{go(r.args[0])}]"
            case TypeKind.TUPLE:
                return f"tuple[{', '.join(go(a) for a in r.args)}]"
            case TypeKind.DICT:
                return f"dict[str, {go(r.args[1])}]"
            case TypeKind.UNION:
                return " | ".join(go(a) for a in r.args)
            case TypeKind.FLOAT:
                return "float"
            case TypeKind.NULL:
                return "None"
            case _:
                return str(r.kind.value)

    text: str = go(ref)
    return text


def fitting_default(p: Parameter, models: Mapping[str, ModelDef]) -> tuple[TypeRef, bool]:
    """An input's type and whether a typed signature may give it its default.

    A default of null that the type lacks adds ``None`` (the app takes its own default); any
    other default the type does not take is left out rather than widening the type (a
    RangeSlider's list default must not make ``list[JsonValue]`` acceptable): Python then
    requires the input, where JavaScript's runtime fills in the app's default."""
    if p.default is None:
        return p.type, False
    if conforms(p.default.value, p.type, models):
        return p.type, True
    if p.default.value is None:
        return union([p.type, TypeRef(TypeKind.NULL)]), True
    return p.type, False


def conforms(value: JsonValue, ref: TypeRef, models: Mapping[str, ModelDef]) -> bool:
    """Whether a static type checker accepts ``value`` as a literal of type ``ref``."""
    match ref.kind:
        case TypeKind.ANY:
            return True
        case TypeKind.NULL:
            return value is None
        case TypeKind.BOOL:
            return isinstance(value, bool)
        case TypeKind.INT:
            return isinstance(value, int) and not isinstance(value, bool)
        case TypeKind.FLOAT:
            return isinstance(value, int | float) and not isinstance(value, bool)
        case TypeKind.STR:
            return isinstance(value, str)
        case TypeKind.LITERAL:
            return any(value == v and type(value) is type(v) for v in ref.literals)
        case TypeKind.UNION:
            return any(conforms(value, a, models) for a in ref.args)
        case TypeKind.LIST:
            return isinstance(value, list) and all(conforms(v, ref.args[0], models) for v in value)
        case TypeKind.TUPLE:  # a JSON list stands for a tuple: ``shaped`` makes it one
            return (
                isinstance(value, list)
                and len(value) == len(ref.args)
                and all(conforms(v, a, models) for v, a in zip(value, ref.args, strict=True))
            )
        case TypeKind.DICT:
            return isinstance(value, dict) and all(
                conforms(v, ref.args[1], models) for v in value.values()
            )
        case TypeKind.FILE:
            return isinstance(value, str) or (isinstance(value, dict) and "path" in value)
        case TypeKind.OBJECT:
            model = models.get(ref.model or "")
            return model is not None and isinstance(value, dict) and _fits_model(value, model)


def _fits_model(value: dict[str, JsonValue], model: ModelDef) -> bool:
    return set(value) <= {k for k, _ in model.fields} and model.required <= set(value)


def file_spec(ref: TypeRef, models: Mapping[str, ModelDef]) -> JsonValue:
    """Where files sit inside a value, for the runtime's uploader; None when nowhere."""
    match ref.kind:
        case TypeKind.FILE:
            return "file"
        case TypeKind.LIST:
            inner = file_spec(ref.args[0], models)
            return None if inner is None else ["list", inner]
        case TypeKind.TUPLE:
            parts = [file_spec(a, models) for a in ref.args]
            return ["tuple", parts] if any(p is not None for p in parts) else None
        case TypeKind.DICT:
            inner = file_spec(ref.args[1], models)
            return None if inner is None else ["values", inner]
        case TypeKind.UNION:
            return next((s for a in ref.args if (s := file_spec(a, models)) is not None), None)
        case TypeKind.OBJECT:
            model = models.get(ref.model or "")
            if model is None:
                return None
            fields: dict[str, JsonValue] = {
                k: s for k, t in model.fields if (s := file_spec(t, models)) is not None
            }
            return ["fields", fields] if fields else None
        case _:
            return None


def input_file_spec(p: Parameter, models: Mapping[str, ModelDef]) -> JsonValue:
    """The runtime's upload spec for one input: a 3.x Image goes inline, as a data URL."""
    return "data_url" if p.inline_file else file_spec(p.type, models)


def models_with_files(models: Mapping[str, ModelDef]) -> frozenset[str]:
    """The models that hold a file at some depth: inputs take a twin of each whose files are
    anything the runtime can upload, where outputs give ``FileData``."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for m in models.values():
            if m.name not in found and any(_holds_file(t, found) for _, t in m.fields):
                found.add(m.name)
                changed = True
    return frozenset(found)


def _holds_file(ref: TypeRef, file_models: set[str]) -> bool:
    if ref.kind is TypeKind.FILE:
        return True
    if ref.kind is TypeKind.OBJECT:
        return ref.model in file_models
    return any(_holds_file(a, file_models) for a in ref.args)


def tuple_spec(ref: TypeRef, models: Mapping[str, ModelDef]) -> JsonValue:
    """Where a value's fixed-length arrays sit, for the runtime that turns those JSON lists
    into the tuples the Python annotation promises; None when nowhere.

    ``["tuple", [item specs]]``, ``["list", item]``, ``["values", value]``, ``["fields",
    {key: spec}]``; a union takes its first member that has tuples."""
    return _tuple_spec(ref, models, frozenset())


def _tuple_spec(ref: TypeRef, models: Mapping[str, ModelDef], seen: frozenset[str]) -> JsonValue:
    def go(r: TypeRef) -> JsonValue:
        return _tuple_spec(r, models, seen)

    match ref.kind:
        case TypeKind.TUPLE:
            return ["tuple", [go(a) for a in ref.args]]
        case TypeKind.LIST:
            inner = go(ref.args[0])
            return None if inner is None else ["list", inner]
        case TypeKind.DICT:
            inner = go(ref.args[1])
            return None if inner is None else ["values", inner]
        case TypeKind.UNION:
            return next((s for a in ref.args if (s := go(a)) is not None), None)
        case TypeKind.OBJECT:
            model = models.get(ref.model or "")
            if model is None or model.name in seen:
                return None
            fields: dict[str, JsonValue] = {
                k: s
                for k, t in model.fields
                if (s := _tuple_spec(t, models, seen | {model.name})) is not None
            }
            return ["fields", fields] if fields else None
        case _:
            return None


def shaped(value: JsonValue, spec: JsonValue) -> object:
    """``value`` with the JSON lists that ``spec`` (from ``tuple_spec``) marks made tuples: what
    the generated Python runtime does to outputs, here for defaults and examples."""
    if not isinstance(spec, list) or len(spec) != 2:
        return value
    kind, inner = spec
    if kind == "tuple" and isinstance(value, list) and isinstance(inner, list):
        if len(value) != len(inner):
            return value
        return tuple(shaped(v, s) for v, s in zip(value, inner, strict=True))
    if kind == "list" and isinstance(value, list):
        return [shaped(v, inner) for v in value]
    if kind == "values" and isinstance(value, dict):
        return {k: shaped(v, inner) for k, v in value.items()}
    if kind == "fields" and isinstance(value, dict) and isinstance(inner, dict):
        return {k: shaped(v, inner[k]) if k in inner else v for k, v in value.items()}
    return value
