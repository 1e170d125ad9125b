"""Every generated Python module is exactly what black makes of it.

ruff's formatter shapes the bytes (``codegen/format.py``), black is the reference: over the
goldens, every corpus capture of every version, and random hostile schemas. ``_runtime/``
is not generated but copied from ``codegen/runtime/`` in this repo's own style (ruff, 100
columns), so it is left out.
"""

from __future__ import annotations

import json
from typing import Any

import black
import pytest
from black.mode import Mode, TargetVersion
from hypothesis import HealthCheck, Phase, given, settings

from codegen.errors import SchemaError
from codegen.pipeline import Options, plan
from codegen.source import RawSchema, read_source
from tests.hostile.test_properties import TEXT, infos
from tests.paths import CORPUS_VERSIONS, ROOT, corpus

MODE = Mode(target_versions={TargetVersion.PY311})
COPIED = "/_runtime/"


def unstable(files: dict[str, str]) -> list[str]:
    """The modules black would change."""
    return [
        name
        for name, text in files.items()
        if name.endswith(".py") and COPIED not in name and black.format_str(text, mode=MODE) != text
    ]


def generated(raw: RawSchema, name: str | None = None) -> dict[str, str]:
    return {str(f.relpath): f.text for f in plan(raw, Options(name=name))[1]}


def test_the_goldens_are_black_stable() -> None:
    modules = {
        str(p): p.read_text(encoding="utf-8")
        for p in (ROOT / "generated_examples").glob("*/python/*/*.py")
    }
    assert len(modules) >= 60
    assert unstable(modules) == []


@pytest.mark.parametrize("version", CORPUS_VERSIONS)
def test_every_corpus_capture_gives_black_stable_python(version: str) -> None:
    checked = 0
    for folder in sorted(p for p in corpus(version).iterdir() if p.is_dir()):
        try:
            files = generated(read_source(str(folder), None), f"c_{folder.name}")
        except SchemaError:
            continue  # an app without public endpoints: test_generated_examples covers it
        assert unstable(files) == [], folder.name
        checked += 1
    assert checked >= 15


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failure prints its schema; no shrinking
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(info=infos(), title=TEXT)
def test_random_hostile_schemas_give_black_stable_python(info: dict[str, Any], title: str) -> None:
    raw = RawSchema(None, json.loads(json.dumps(info)), {"title": title}, "http://x", None, title)
    try:
        files = generated(raw)
    except SchemaError:
        return
    assert unstable(files) == []
