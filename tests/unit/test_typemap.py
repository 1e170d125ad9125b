"""Gradio-shaped JSON schemas to TypeRefs, annotations, default checks and file specs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from codegen.ir import ModelDef, TypeKind, TypeRef
from codegen.literals import py_literal
from codegen.typemap import (
    ANY,
    FILE,
    TypeBuilder,
    conforms,
    file_spec,
    is_file_schema,
    model_schema,
    models_with_files,
    py_annotation,
    shaped,
    to_schema,
    tuple_spec,
    union,
)

STR = TypeRef(TypeKind.STR)
INT = TypeRef(TypeKind.INT)
FLOAT = TypeRef(TypeKind.FLOAT)
NULL = TypeRef(TypeKind.NULL)

# As Gradio 6 serves gr.Video / gr.File: FileData with a nested $defs for its meta.
FILE_DATA = {
    "$defs": {
        "FileDataMeta": {
            "properties": {
                "_type": {"const": "gradio.FileData", "title": "Type", "type": "string"}
            },
            "required": ["_type"],
            "title": "FileDataMeta",
            "type": "object",
        }
    },
    "properties": {
        "path": {"title": "Path", "type": "string"},
        "url": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "size": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        "orig_name": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "mime_type": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "is_stream": {"default": False, "type": "boolean"},
        "meta": {"$ref": "#/$defs/FileDataMeta"},
    },
    "required": ["path"],
    "title": "FileData",
    "type": "object",
}
# As gr.Image serves it: no $defs, meta is a free object.
IMAGE_DATA = {
    "properties": {
        "path": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "url": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "orig_name": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "meta": {"additionalProperties": True, "type": "object"},
    },
    "title": "ImageData",
    "type": "object",
}
# As gr.Label serves it: an object whose array items $ref a sibling definition.
LABEL_DATA = {
    "$defs": {
        "LabelConfidence": {
            "properties": {
                "label": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                "confidence": {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None},
            },
            "title": "LabelConfidence",
            "type": "object",
        }
    },
    "properties": {
        "label": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "confidences": {
            "anyOf": [
                {"items": {"$ref": "#/$defs/LabelConfidence"}, "type": "array"},
                {"type": "null"},
            ],
            "default": None,
        },
    },
    "title": "LabelData",
    "type": "object",
}


def _ann(ref: TypeRef, *, input_: bool = True) -> str:
    return py_annotation(ref, lambda m: f"M_{m}", py_literal, input_=input_)


def _models(builder: TypeBuilder) -> dict[str, ModelDef]:
    return {m.name: m for m in builder.models}


# -- build ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": {}}, ANY),
        ({}, ANY),
        (None, ANY),
        ("string", ANY),
        ({"type": "string"}, STR),
        ({"type": "integer"}, INT),
        ({"type": "number"}, FLOAT),
        ({"type": "boolean"}, TypeRef(TypeKind.BOOL)),
        ({"type": "null"}, NULL),
        ({"type": "weird"}, ANY),
        ({"type": "filepath"}, FILE),
        ({"type": "string", "format": "filepath"}, FILE),
        ({"type": "array", "items": {}}, TypeRef(TypeKind.LIST, args=(ANY,))),
        ({"type": "array"}, TypeRef(TypeKind.LIST, args=(ANY,))),
        (
            {"type": "object", "additionalProperties": {"type": "integer"}},
            TypeRef(TypeKind.DICT, args=(STR, INT)),
        ),
        ({"type": "object"}, TypeRef(TypeKind.DICT, args=(STR, ANY))),
        ({"const": "x"}, TypeRef(TypeKind.LITERAL, literals=("x",))),
        ({"enum": ["a", "b", "a"]}, TypeRef(TypeKind.LITERAL, literals=("a", "b"))),
        ({"enum": [1, True, 1.0]}, TypeRef(TypeKind.LITERAL, literals=(1, True, 1.0))),
        ({"type": ["string", "null"]}, TypeRef(TypeKind.UNION, args=(STR, NULL))),
        ({"anyOf": [{"type": "string"}, {}]}, ANY),
        ({"oneOf": [{"type": "integer"}, {"type": "integer"}]}, INT),
    ],
)
def test_build_simple(schema: Any, expected: TypeRef) -> None:
    assert TypeBuilder().build(schema, "X") == expected


def test_enum_is_literal_with_type_string() -> None:
    # Gradio's Radio: {"enum": [...], "title": "Radio", "type": "string"}
    ref = TypeBuilder().build(
        {"enum": ["add", "subtract"], "title": "Radio", "type": "string"}, "RadioValue"
    )
    assert ref == TypeRef(TypeKind.LITERAL, literals=("add", "subtract"))


def test_any_of_with_null_is_union_including_null() -> None:
    ref = TypeBuilder().build(
        {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}, "X"
    )
    assert ref.kind is TypeKind.UNION
    assert ref.args == (STR, INT, NULL)
    assert _ann(ref) == "str | int | None"


def test_nested_unions_flatten_and_literals_merge() -> None:
    ref = union(
        [
            TypeRef(TypeKind.LITERAL, literals=("a",)),
            TypeRef(TypeKind.UNION, args=(STR, TypeRef(TypeKind.LITERAL, literals=("b", "a")))),
            STR,
        ]
    )
    assert ref.kind is TypeKind.UNION
    assert ref.args == (TypeRef(TypeKind.LITERAL, literals=("a", "b")), STR)


@pytest.mark.parametrize("schema", [FILE_DATA, IMAGE_DATA])
def test_file_data_objects_are_files(schema: dict[str, Any]) -> None:
    builder = TypeBuilder()
    assert builder.build(copy.deepcopy(schema), "VideoValue") == FILE
    assert builder.models == ()  # no model for FileData or its meta


def test_file_from_openapi_prose_description() -> None:
    schema = {"type": "object", "description": "a file (with a url key to fetch it)"}
    assert is_file_schema(schema)
    assert TypeBuilder().build(schema, "X") == FILE


def test_not_every_object_with_path_is_a_file() -> None:
    schema = {"type": "object", "title": "Route", "properties": {"path": {"type": "string"}}}
    ref = TypeBuilder().build(schema, "X")
    assert ref.kind is TypeKind.OBJECT


def test_list_of_files_and_gallery_tuple() -> None:
    builder = TypeBuilder()
    files = builder.build({"type": "array", "items": copy.deepcopy(FILE_DATA)}, "FileValue")
    assert files == TypeRef(TypeKind.LIST, args=(FILE,))
    gallery = builder.build(
        {
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [copy.deepcopy(IMAGE_DATA), {"anyOf": [{"type": "string"}]}],
            },
        },
        "GalleryValue",
    )
    assert gallery == TypeRef(TypeKind.LIST, args=(TypeRef(TypeKind.TUPLE, args=(FILE, STR)),))


def test_prefix_items_is_tuple() -> None:
    ref = TypeBuilder().build(
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}, "X"
    )
    assert ref == TypeRef(TypeKind.TUPLE, args=(STR, INT))
    assert _ann(ref) == "tuple[str, int]"


def test_defs_ref_resolved_against_enclosing_subschema() -> None:
    builder = TypeBuilder()
    ref = builder.build(copy.deepcopy(LABEL_DATA), "LabelValue")
    assert ref == TypeRef(TypeKind.OBJECT, model="LabelData")
    models = _models(builder)
    assert set(models) == {"LabelData", "LabelConfidence"}
    confidences = model_schema(models["LabelData"])["properties"]["confidences"]  # type: ignore[index]
    assert confidences == {
        "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/LabelConfidence"}}, {"type": "null"}]
    }


def test_two_subschemas_with_the_same_def_name_resolve_locally() -> None:
    def holder(field: str, kind: str) -> dict[str, Any]:
        return {
            "type": "object",
            "title": f"Holder{field}",
            "$defs": {"Meta": {"type": "object", "properties": {field: {"type": kind}}}},
            "properties": {"meta": {"$ref": "#/$defs/Meta"}},
        }

    builder = TypeBuilder()
    schema = {
        "type": "object",
        "title": "Root",
        "properties": {"a": holder("x", "integer"), "b": holder("y", "string")},
    }
    builder.build(schema, "X")
    models = _models(builder)
    metas = sorted(
        (model_schema(m)["properties"] for m in models.values() if m.name.startswith("Meta")),
        key=str,
    )
    assert metas == [{"x": {"type": "integer"}}, {"y": {"type": "string"}}]


def test_unresolvable_ref_is_any() -> None:
    assert TypeBuilder().build({"$ref": "#/$defs/Nowhere"}, "X") == ANY


def test_recursive_ref_terminates() -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "title": "Node",
                "properties": {
                    "value": {"type": "integer"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                },
            }
        },
        "$ref": "#/$defs/Node",
    }
    builder = TypeBuilder()
    ref = builder.build(schema, "X")
    assert ref == TypeRef(TypeKind.OBJECT, model="Node")
    node = model_schema(_models(builder)["Node"])
    assert node["properties"]["children"] == {"type": "array", "items": {}}  # type: ignore[index]


def test_mutually_recursive_refs_terminate() -> None:
    schema = {
        "$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}},
        "$ref": "#/$defs/A",
    }
    assert TypeBuilder().build(schema, "X") == ANY


def test_very_deep_schema_terminates() -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(200):
        schema = {"type": "array", "items": schema}
    ref = TypeBuilder().build(schema, "X")
    depth = 0
    while ref.kind is TypeKind.LIST:
        ref, depth = ref.args[0], depth + 1
    assert ref == ANY and depth < 200


def test_object_model_registered_once_for_the_same_shape() -> None:
    builder = TypeBuilder()
    point = {"type": "object", "title": "Point", "properties": {"x": {"type": "number"}}}
    a = builder.build(copy.deepcopy(point), "A")
    b = builder.build({**copy.deepcopy(point), "title": "Other", "description": "x"}, "B")
    assert a == b == TypeRef(TypeKind.OBJECT, model="Point")
    assert [m.name for m in builder.models] == ["Point"]


def test_same_title_different_shapes_get_distinct_names() -> None:
    builder = TypeBuilder()
    a = builder.build(
        {"type": "object", "title": "Point", "properties": {"x": {"type": "number"}}}, "A"
    )
    b = builder.build(
        {"type": "object", "title": "Point", "properties": {"y": {"type": "number"}}}, "B"
    )
    assert a.model != b.model
    assert {a.model, b.model} == {m.name for m in builder.models}
    assert len(builder.models) == 2


def test_untitled_object_named_from_hint() -> None:
    builder = TypeBuilder()
    ref = builder.build({"type": "object", "properties": {"k": {"type": "string"}}}, "json value")
    assert ref.model == "JsonValue"
    hostile = builder.build(
        {"type": "object", "title": '2 bad "title" </x>', "properties": {"q": {}}}, "H"
    )
    assert hostile.model is not None and hostile.model.isidentifier()
    assert not hostile.model[0].isdigit()


def test_model_schema_keeps_only_structure() -> None:
    builder = TypeBuilder()
    builder.build(
        {
            "type": "object",
            "title": "T",
            "description": "\"\"\" evil '''",
            "properties": {"a": {"type": "string", "description": "x", "default": "d"}},
            "required": ["a", "not_a_field", 3],
        },
        "X",
    )
    (model,) = builder.models
    assert model_schema(model) == {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "required": ["a"],
    }


def test_to_schema_round_trip_for_files_and_models() -> None:
    assert to_schema(FILE) == {"$ref": "#/$defs/FileData"}
    assert to_schema(TypeRef(TypeKind.OBJECT, model="M")) == {"$ref": "#/$defs/M"}
    assert to_schema(TypeRef(TypeKind.TUPLE, args=(STR, INT)))["minItems"] == 2  # type: ignore[index]


# -- annotations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "input_text", "output_text"),
    [
        (FILE, "FileInput", "FileData"),
        (TypeRef(TypeKind.LIST, args=(FILE,)), "list[FileInput]", "list[FileData]"),
        (
            TypeRef(TypeKind.UNION, args=(FILE, NULL)),
            "FileInput | None",
            "FileData | None",
        ),
        (ANY, "JsonValue", "JsonValue"),
        (TypeRef(TypeKind.DICT, args=(STR, INT)), "dict[str, int]", "dict[str, int]"),
        (TypeRef(TypeKind.OBJECT, model="LabelData"), "M_LabelData", "M_LabelData"),
        (TypeRef(TypeKind.LITERAL, literals=("a", "b")), "Literal['a', 'b']", "Literal['a', 'b']"),
        (TypeRef(TypeKind.LITERAL, literals=("a", None)), "Literal['a'] | None", None),
        (TypeRef(TypeKind.LITERAL, literals=(None,)), "None", None),
        (TypeRef(TypeKind.LITERAL, literals=(1.5, 2)), "float", None),
        (TypeRef(TypeKind.LITERAL, literals=(0.5, None)), "float | None", None),
        (TypeRef(TypeKind.LITERAL, literals=('it\'s "q"',)), "Literal['it\\'s \"q\"']", None),
        (TypeRef(TypeKind.BOOL), "bool", "bool"),
        (NULL, "None", "None"),
    ],
)
def test_py_annotation(ref: TypeRef, input_text: str, output_text: str | None) -> None:
    assert _ann(ref, input_=True) == input_text
    assert _ann(ref, input_=False) == (output_text or input_text)


def test_float_enum_from_schema_widens_to_float() -> None:
    ref = TypeBuilder().build({"enum": [0.5, 1], "title": "Radio", "type": "string"}, "X")
    assert _ann(ref) == "float"


def test_mixed_float_and_string_enum_still_accepts_the_string() -> None:
    # exactly what gr.Dropdown(choices=[1.5, "auto", 3]).api_info() serves
    ref = TypeBuilder().build({"type": "string", "enum": [1.5, "auto", 3]}, "X")
    text = _ann(ref)
    assert "'auto'" in text or "str" in text.split(" | ")


# -- conforms / file_spec -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ref", "ok"),
    [
        (None, NULL, True),
        (None, STR, False),
        (1, FLOAT, True),
        (True, FLOAT, False),
        (True, INT, False),
        (1.0, INT, False),
        ("a", TypeRef(TypeKind.LITERAL, literals=("a", "b")), True),
        ("c", TypeRef(TypeKind.LITERAL, literals=("a", "b")), False),
        (1, TypeRef(TypeKind.LITERAL, literals=(True,)), False),
        (None, TypeRef(TypeKind.UNION, args=(STR, NULL)), True),
        (["a", "b"], TypeRef(TypeKind.LIST, args=(STR,)), True),
        (["a", 1], TypeRef(TypeKind.LIST, args=(STR,)), False),
        ([], TypeRef(TypeKind.TUPLE, args=(STR,)), False),
        (["a"], TypeRef(TypeKind.TUPLE, args=(STR,)), True),
        ([1, "a"], TypeRef(TypeKind.TUPLE, args=(STR, STR)), False),
        ({"k": 1}, TypeRef(TypeKind.DICT, args=(STR, INT)), True),
        ({"k": "x"}, TypeRef(TypeKind.DICT, args=(STR, INT)), False),
        ("/tmp/a.png", FILE, True),
        ({"path": "/tmp/a.png"}, FILE, True),
        ({"url": "x"}, FILE, False),
        ({"anything": [1]}, ANY, True),
    ],
)
def test_conforms(value: Any, ref: TypeRef, ok: bool) -> None:
    assert conforms(value, ref, {}) is ok


def test_conforms_object_checks_keys_and_required() -> None:
    builder = TypeBuilder()
    ref = builder.build(
        {
            "type": "object",
            "title": "DataframeData",
            "properties": {"headers": {"type": "array"}, "data": {"type": "array"}, "m": {}},
            "required": ["headers", "data"],
        },
        "X",
    )
    models = _models(builder)
    assert conforms({"headers": [], "data": [], "m": None}, ref, models)
    assert conforms({"headers": [], "data": []}, ref, models)
    assert not conforms({"headers": []}, ref, models)  # missing required
    assert not conforms({"headers": [], "data": [], "extra": 1}, ref, models)
    assert not conforms({"headers": [], "data": []}, ref, {})  # unknown model


def test_file_spec() -> None:
    builder = TypeBuilder()
    holder = builder.build(
        {
            "type": "object",
            "title": "Message",
            "properties": {
                "text": {"type": "string"},
                "files": {"type": "array", "items": copy.deepcopy(FILE_DATA)},
                "cover": {"anyOf": [copy.deepcopy(IMAGE_DATA), {"type": "null"}]},
            },
        },
        "X",
    )
    models = _models(builder)
    assert file_spec(FILE, models) == "file"
    assert file_spec(STR, models) is None
    assert file_spec(TypeRef(TypeKind.LIST, args=(FILE,)), models) == ["list", "file"]
    assert file_spec(TypeRef(TypeKind.LIST, args=(STR,)), models) is None
    assert file_spec(TypeRef(TypeKind.TUPLE, args=(FILE, STR)), models) == [
        "tuple",
        ["file", None],
    ]
    assert file_spec(TypeRef(TypeKind.DICT, args=(STR, FILE)), models) == ["values", "file"]
    assert file_spec(TypeRef(TypeKind.UNION, args=(NULL, FILE)), models) == "file"
    assert file_spec(holder, models) == [
        "fields",
        {"files": ["list", "file"], "cover": "file"},
    ]
    assert file_spec(TypeRef(TypeKind.OBJECT, model="Missing"), models) is None


def test_file_spec_through_nested_models() -> None:
    builder = TypeBuilder()
    outer = builder.build(
        {
            "type": "object",
            "title": "Outer",
            "properties": {
                "inner": {
                    "type": "object",
                    "title": "Inner",
                    "properties": {"f": {"type": "filepath"}, "n": {"type": "integer"}},
                },
                "plain": {"type": "object", "title": "Plain", "properties": {"n": {}}},
            },
        },
        "X",
    )
    models = _models(builder)
    assert file_spec(outer, models) == ["fields", {"inner": ["fields", {"f": "file"}]}]
    assert file_spec(TypeRef(TypeKind.OBJECT, model="Plain"), models) is None


def test_tuple_spec_marks_fixed_length_arrays_and_shaped_makes_them_tuples() -> None:
    pair = TypeRef(TypeKind.TUPLE, args=(FLOAT, TypeRef(TypeKind.UNION, args=(FLOAT, NULL))))
    model = ModelDef("Box", (("pair", pair), ("name", STR)), frozenset({"pair"}))
    models = {"Box": model}
    ref = TypeRef(TypeKind.LIST, args=(TypeRef(TypeKind.OBJECT, model="Box"),))
    spec = tuple_spec(ref, models)
    assert spec == ["list", ["fields", {"pair": ["tuple", [None, None]]}]]
    value = [{"pair": [1.0, None], "name": "a"}]
    assert shaped(value, spec) == [{"pair": (1.0, None), "name": "a"}]
    assert shaped([[1.0]], ["list", ["tuple", [None, None]]]) == [[1.0]]  # wrong length stays
    assert tuple_spec(TypeRef(TypeKind.LIST, args=(STR,)), {}) is None


def test_models_with_files_follow_nested_models() -> None:
    inner = ModelDef("Inner", (("f", FILE),), frozenset())
    outer = ModelDef("Outer", (("i", TypeRef(TypeKind.OBJECT, model="Inner")),), frozenset())
    plain = ModelDef("Plain", (("s", STR),), frozenset())
    found = models_with_files({m.name: m for m in (inner, outer, plain)})
    assert found == frozenset({"Inner", "Outer"})


def test_old_style_items_list_is_a_tuple() -> None:
    ref = TypeBuilder().build(
        {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}, "X"
    )
    assert ref == TypeRef(TypeKind.TUPLE, args=(STR, INT))
