"""The only caller of datamodel-code-generator: object schemas to ``TypedDict`` source.

TypedDicts keep the wire keys, so every property name is pinned with an identity alias (the
generator would otherwise rename ``_type`` or ``class``) and the result is checked for it.
"""

from __future__ import annotations

import ast
import json
import keyword
import warnings
from collections.abc import Mapping
from dataclasses import replace

from codegen.errors import SchemaError
from codegen.ir import JsonValue, ModelDef
from codegen.literals import escape_surrogates, py_literal
from codegen.typemap import model_schema

FILE_DATA: dict[str, JsonValue] = {
    "type": "object",
    "properties": {
        "path": {"type": "string"},
        "url": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "size": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "orig_name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "mime_type": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "is_stream": {"type": "boolean"},
        "meta": {"type": "object"},
    },
    "required": ["path"],
}


# What datamodel-code-generator makes of FileData alone (tests/unit/test_pymodels.py checks):
# an app without object schemas needs no import of it, the slowest of the generator's.
FILE_DATA_ONLY = """from typing import Any, NotRequired, TypedDict



class FileData(TypedDict):
    is_stream: NotRequired[bool]
    meta: NotRequired[dict[str, Any]]
    mime_type: NotRequired[str | None]
    orig_name: NotRequired[str | None]
    path: str
    size: NotRequired[int | None]
    url: NotRequired[str | None]
"""


# the document's root is FileData, so a file is ``$ref: "#"``; inputs' files point at a
# stand-in alias that the generated module's own ``FileInput`` replaces
_FILE_REF = "#"
_FILE_INPUT = "FileInput"
_FILE_INPUT_STAND_IN = "FileInput: TypeAlias = str\n"


def typed_dicts(
    models: tuple[ModelDef, ...],
    class_names: Mapping[str, str],
    input_names: Mapping[str, str] | None = None,
) -> str:
    """Source of a module defining ``FileData`` and one TypedDict per model, plus, for each
    model in ``input_names`` (those holding files), its input twin named there, whose files
    are ``FileInput`` at every depth."""
    return _generated(models, class_names, input_names or {}) if models else FILE_DATA_ONLY


def _generated(
    models: tuple[ModelDef, ...], class_names: Mapping[str, str], input_names: Mapping[str, str]
) -> str:
    stand_ins = _stand_ins(models)
    renamed = tuple(_renamed(m, stand_ins) for m in models)
    defs: dict[str, JsonValue] = {
        class_names[m.name]: model_schema(m, class_names.__getitem__, _FILE_REF) for m in renamed
    }

    def input_name(name: str) -> str:
        return input_names.get(name) or class_names[name]

    for m in renamed:
        if m.name in input_names:
            defs[input_names[m.name]] = model_schema(m, input_name, f"#/$defs/{_FILE_INPUT}")
    if input_names:
        defs[_FILE_INPUT] = {"type": "string"}
    document = {"title": "FileData", **FILE_DATA, "$defs": defs}
    keys = (
        {"FileData": list(_props(FILE_DATA))}
        | {class_names[m.name]: [k for k, _ in m.fields] for m in models}
        | {input_names[m.name]: [k for k, _ in m.fields] for m in models if m.name in input_names}
    )
    # pinning a keyword would make the generator fail; unpinned, it keeps it as a quoted key
    aliases = {
        k: k
        for names in keys.values()
        for k in names
        if k.isidentifier() and not keyword.iskeyword(k)
    }
    # imported here: it is slow to import and only this stage needs it
    from datamodel_code_generator import (  # type: ignore[attr-defined]
        DataModelType,
        InputFileType,
        PythonVersion,
        generate,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = generate(
            json.dumps(document, sort_keys=True),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.TypingTypedDict,
            target_python_version=PythonVersion.PY_311,
            disable_timestamp=True,
            use_standard_collections=True,
            use_union_operator=True,
            aliases=aliases,
            formatters=[],
        )
    if not isinstance(source, str):
        raise SchemaError("datamodel-code-generator returned several modules", "report this")
    if input_names:
        if _FILE_INPUT_STAND_IN not in source:
            raise SchemaError("the FileInput stand-in is missing from the models", "report this")
        source = source.replace(_FILE_INPUT_STAND_IN, "")
    for original, stand_in in stand_ins.items():
        source = source.replace(repr(stand_in), py_literal(original))
    source = escape_surrogates(source)
    _check_keys(source, keys)
    return _strip_header(source)


def _stand_ins(models: tuple[ModelDef, ...]) -> dict[str, str]:
    """Keys the generator would paste into a string literal unescaped (newlines, NUL, lone
    surrogates) go through it as plain stand-ins, put back as exact literals afterwards."""
    odd = sorted({k for m in models for k, _ in m.fields if not k.isprintable()})
    return {k: f"gradio codegen key {n}" for n, k in enumerate(odd)}


def _renamed(model: ModelDef, stand_ins: Mapping[str, str]) -> ModelDef:
    if not stand_ins:
        return model
    return replace(
        model,
        fields=tuple((stand_ins.get(k, k), t) for k, t in model.fields),
        required=frozenset(stand_ins.get(k, k) for k in model.required),
    )


def _props(schema: Mapping[str, JsonValue]) -> Mapping[str, JsonValue]:
    props = schema.get("properties")
    return props if isinstance(props, Mapping) else {}


def _check_keys(source: str, expected: Mapping[str, list[str]]) -> None:
    """Fails loudly if a TypedDict lost a model or a wire key on the way through."""
    found: dict[str, list[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = [
                s.target.id
                for s in node.body
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
            ]
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and len(node.value.args) == 2
            and isinstance(node.value.args[1], ast.Dict)
            and isinstance(node.targets[0], ast.Name)
        ):
            found[node.targets[0].id] = [
                k.value
                for k in node.value.args[1].keys
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            ]
    for name, keys in expected.items():
        if sorted(found.get(name, [])) != sorted(keys):
            raise SchemaError(
                f"the typed dict for {name} does not keep the wire keys {keys}",
                "report this schema to gradio-codegen",
            )


def _strip_header(source: str) -> str:
    lines = [line for line in source.splitlines() if line != "from __future__ import annotations"]
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines) + "\n"
