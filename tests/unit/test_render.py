"""Template contract: each template reads only its view model's fields, and every field is read."""

from __future__ import annotations

import dataclasses
import re

import jinja2
import pytest
from jinja2 import meta

from codegen.render import environment, templates_dir
from codegen.targets.python import PyMethod, PyPackage, PyParam

PYTHON_TEMPLATES = sorted(p.name for p in (templates_dir() / "python").glob("*.jinja"))


def _fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _undeclared(name: str) -> set[str]:
    source = (templates_dir() / "python" / name).read_text()
    return meta.find_undeclared_variables(environment().parse(source))


@pytest.mark.parametrize("name", PYTHON_TEMPLATES)
def test_python_templates_read_only_view_model_fields(name: str) -> None:
    assert _undeclared(name) <= _fields(PyPackage)


def test_every_view_model_field_is_read_by_a_template() -> None:
    top = set().union(*(_undeclared(n) for n in PYTHON_TEMPLATES))
    text = "".join((templates_dir() / "python" / n).read_text() for n in PYTHON_TEMPLATES)
    attributes = set(re.findall(r"\b[mp]\.([a-z_]+)", text))
    assert _fields(PyPackage) - top == set()
    assert (_fields(PyMethod) | _fields(PyParam)) - attributes == set()


def test_a_missing_variable_fails_instead_of_rendering_empty() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ nope }}").render()
