"""TypedDicts through datamodel-code-generator, and the FileData module written without it."""

from __future__ import annotations

from codegen import pymodels
from codegen.ir import ModelDef, TypeKind, TypeRef


def test_the_file_data_only_module_is_what_datamodel_code_generator_writes() -> None:
    assert pymodels._generated((), {}, {}) == pymodels.FILE_DATA_ONLY
    assert pymodels.typed_dicts((), {}) == pymodels.FILE_DATA_ONLY


def test_an_app_with_models_goes_through_datamodel_code_generator() -> None:
    model = ModelDef("Point", (("x", TypeRef(TypeKind.INT)),), frozenset({"x"}))
    source = pymodels.typed_dicts((model,), {"Point": "Point"})
    assert pymodels.FILE_DATA_ONLY.split("\n\n\n\n")[1] in source
    assert "class Point(TypedDict):\n    x: int\n" in source


def test_files_in_models_are_file_data_never_any_and_input_twins_take_local_files() -> None:
    file_ = TypeRef(TypeKind.FILE)
    pair = TypeRef(TypeKind.TUPLE, args=(TypeRef(TypeKind.INT), TypeRef(TypeKind.STR)))
    inner = ModelDef("Inner", (("file", file_), ("pair", pair)), frozenset({"file"}))
    outer = ModelDef(
        "Outer",
        (
            ("inner", TypeRef(TypeKind.OBJECT, model="Inner")),
            ("files", TypeRef(TypeKind.LIST, args=(file_,))),
        ),
        frozenset({"inner"}),
    )
    source = pymodels.typed_dicts(
        (inner, outer),
        {"Inner": "Inner", "Outer": "Outer"},
        {"Inner": "InnerInput", "Outer": "OuterInput"},
    )
    assert "Any" not in source.split("class Inner(TypedDict):")[1]
    assert (
        "class Inner(TypedDict):\n    file: FileData\n    pair: NotRequired[tuple[int, str]]"
        in source
    )
    assert "class InnerInput(TypedDict):\n    file: FileInput\n" in source
    assert "    files: NotRequired[list[FileData]]\n    inner: Inner\n" in source
    assert "    files: NotRequired[list[FileInput]]\n    inner: InnerInput\n" in source
    assert "FileInput: TypeAlias" not in source  # the module's own FileInput stands
