"""The run-time conformance check: a value against the annotation a generated client declares.

typeguard's ``check_type`` with every item of every collection checked, and an unresolvable
forward reference an error (never a silent pass): a list where the annotation says tuple, a
TypedDict with a missing or an unknown key, a ``str`` where it says ``FileData``, all fail.
Annotations resolve in the generated package's own namespaces.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from types import ModuleType
from typing import Any

from typeguard import CollectionCheckStrategy, ForwardRefPolicy, TypeCheckError, check_type

__all__ = ["TypeCheckError", "annotations_of", "conform"]


def _namespace(package: ModuleType) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for module in ("models", "client"):
        names.update(vars(getattr(package, module)))
    return names


def annotations_of(package: ModuleType, method: str) -> dict[str, Any]:
    """The resolved annotations of ``Client.<method>``: each parameter's and ``return``."""
    function = getattr(package.Client, method)
    return typing.get_type_hints(function, globalns=_namespace(package), include_extras=True)


def conform(package: ModuleType) -> Callable[[Any, Any], None]:
    """``check(value, annotation)`` that raises ``TypeCheckError`` where they disagree.

    typeguard resolves the string annotations inside TypedDicts and NamedTuples in its
    caller's globals, so the checker is a function whose globals are the package's.
    """
    names = _namespace(package)
    names.update(
        _check_type=check_type,
        _all=CollectionCheckStrategy.ALL_ITEMS,
        _error=ForwardRefPolicy.ERROR,
    )
    source = "def _checker(value, annotation):\n"
    source += "    _check_type(value, annotation, forward_ref_policy=_error,"
    source += " collection_check_strategy=_all)\n"
    exec(compile(source, "<conformance>", "exec"), names)  # our own fixed source
    checker: Callable[[Any, Any], None] = names["_checker"]
    return checker
