"""TypedDicts through datamodel-code-generator, and the FileData module written without it."""

from __future__ import annotations

from codegen import pymodels
from codegen.ir import ModelDef, TypeKind, TypeRef


def test_the_file_data_only_module_is_what_datamodel_code_generator_writes() -> None:
    assert pymodels._generated((), {}) == pymodels.FILE_DATA_ONLY
    assert pymodels.typed_dicts((), {}) == pymodels.FILE_DATA_ONLY


def test_an_app_with_models_goes_through_datamodel_code_generator() -> None:
    model = ModelDef("Point", (("x", TypeRef(TypeKind.INT)),), frozenset({"x"}))
    source = pymodels.typed_dicts((model,), {"Point": "Point"})
    assert pymodels.FILE_DATA_ONLY.split("\n\n\n\n")[1] in source
    assert "class Point(TypedDict):\n    x: int\n" in source
