"""Random Gradio-shaped schemas with hostile names and values: the generator's promises hold.

For each: it either generates or refuses with a one-line schema error; every path stays
inside the output folder; Python compiles, JavaScript passes ``node --check``, bash parses
the scripts; and the same schema gives the same files twice. A size test covers a schema
with 2,000 endpoints and deeply nested types.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from codegen.errors import SchemaError
from codegen.pipeline import Options, plan
from codegen.source import RawSchema

HOSTILE = st.sampled_from(
    ["'", '"', "`", "$(", ")", "${", "}", "*/", "/*", "\\", "\n", "\r", "\t", "\x00", "/", "..",
     "{{", "{%", "#", "@", "<", ">", "&", "|", ";", " ", "é", "日", "🙂", "\u2028", "\ud800",
     "class", "self", "new", "default", "__proto__", "constructor", "1"]
)  # fmt: skip
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=3)), max_size=6).map("".join)

SCALAR_SCHEMAS = st.sampled_from(
    [{"type": "string"}, {"type": "number"}, {"type": "integer"}, {"type": "boolean"}, {},
     {"type": "string", "format": "filepath"}, {"type": "null"}]
)  # fmt: skip


def schemas() -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        st.one_of(
            SCALAR_SCHEMAS,
            st.lists(TEXT, min_size=1, max_size=4).map(lambda c: {"type": "string", "enum": c}),
        ),
        lambda inner: st.one_of(
            inner.map(lambda s: {"type": "array", "items": s}),
            st.lists(inner, min_size=2, max_size=3).map(lambda a: {"anyOf": a}),
            st.dictionaries(TEXT, inner, max_size=3).flatmap(
                lambda props: st.builds(
                    lambda title: {
                        "type": "object",
                        "title": title,
                        "properties": props,
                        "required": sorted(props)[:1],
                    },
                    TEXT,
                )
            ),
        ),
        max_leaves=6,
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=5,
)


@st.composite
def parameters(draw: st.DrawFn) -> dict[str, Any]:
    has_default = draw(st.booleans())
    return {
        "label": draw(TEXT),
        "parameter_name": draw(TEXT),
        "parameter_has_default": has_default,
        "parameter_default": draw(JSON) if has_default else None,
        "type": draw(schemas()),
        "python_type": {"type": draw(TEXT), "description": draw(TEXT)},
        "component": draw(TEXT),
        "example_input": draw(JSON),
        "description": draw(TEXT),
    }


@st.composite
def infos(draw: st.DrawFn) -> dict[str, Any]:
    endpoints = draw(
        st.dictionaries(
            TEXT.map(lambda n: "/" + n),
            st.fixed_dictionaries(
                {
                    "parameters": st.lists(parameters(), max_size=4),
                    "returns": st.lists(
                        st.fixed_dictionaries(
                            {"label": TEXT, "type": schemas(), "component": TEXT}
                        ),
                        max_size=3,
                    ),
                    "api_visibility": st.just("public"),
                    "description": TEXT,
                }
            ),
            min_size=1,
            max_size=4,
        )
    )
    return {"named_endpoints": endpoints, "unnamed_endpoints": {}}


def planned(info: dict[str, Any], title: str) -> list[tuple[PurePosixPath, str, bool]]:
    # through JSON text and back, as a schema arrives from a server
    raw = RawSchema(
        openapi=None,
        info=json.loads(json.dumps(info)),
        config={"title": title},
        origin="http://127.0.0.1:9",
        space_id=None,
        name_hint=title,
    )
    _, files = plan(raw, Options())
    return [(f.relpath, f.text, f.executable) for f in files]


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    # no shrinking: a failure prints its schema; shrinking these can take many minutes
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(info=infos(), title=TEXT)
def test_random_hostile_schemas_give_safe_parseable_output(
    info: dict[str, Any], title: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    try:
        files = planned(info, title)
    except SchemaError:
        return  # refused with one line: allowed
    assert files == planned(info, title)
    out = tmp_path_factory.mktemp("out")
    for relpath, text, _ in files:
        assert not relpath.is_absolute() and ".." not in relpath.parts
        target = out.joinpath(*relpath.parts)
        assert target.resolve().is_relative_to(out.resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if relpath.suffix == ".py":
            compile(text, str(relpath), "exec")
        elif relpath.suffix == ".sh":
            assert subprocess.run(["bash", "-n", str(target)]).returncode == 0, text
    modules = [str(out / "js" / name) for name in ("index.js", "_runtime.js")]
    for module in modules:
        checked = subprocess.run(["node", "--check", module], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def _nested(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for level in range(depth):
        schema = {
            "type": "object",
            "title": f"Level {level}",
            "properties": {"value": schema, "tags": {"type": "array", "items": {"type": "string"}}},
            "required": ["value"],
        }
    return schema


# the generator's command line, then its peak resident set (VmHWM, "VmHWM: N kB") on stderr;
# ru_maxrss of a child would start from the size of the process that spawned it
PEAK_REPORTING_GENERATOR = """
import atexit, sys
status = lambda: open("/proc/self/status").read().splitlines()
atexit.register(lambda: print(next(l for l in status() if l.startswith("VmHWM")), file=sys.stderr))
sys.argv[0] = "gradio-codegen"
from codegen.cli import main
main()
"""


def test_two_thousand_endpoints_and_deep_types_generate_in_bounded_time_and_memory(
    tmp_path: Path,
) -> None:
    """A guard against blow-ups (quadratic naming, exponential types), not a benchmark."""
    endpoint = {
        "parameters": [
            {
                "label": "x",
                "parameter_name": "x",
                "parameter_has_default": False,
                "parameter_default": None,
                "type": _nested(12),
                "python_type": {"type": "", "description": ""},
                "component": "JSON",
                "example_input": None,
            }
        ],
        "returns": [{"label": "y", "type": {"type": "string"}, "component": "Textbox"}],
        "api_visibility": "public",
    }
    info = {
        "named_endpoints": {f"/endpoint_{n}": endpoint for n in range(2000)},
        "unnamed_endpoints": {},
    }
    (tmp_path / "info.json").write_text(json.dumps(info))
    args = [
        str(tmp_path / "info.json"),
        "-o",
        str(tmp_path / "out"),
        "--base-url",
        "http://127.0.0.1:9",
    ]
    result = subprocess.run(
        [sys.executable, "-c", PEAK_REPORTING_GENERATOR, *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out" / "curl").glob("*.sh"))) == 2000
    peak_kib = int(result.stderr.strip().splitlines()[-1].split()[1])
    assert peak_kib < 600 * 1024  # the generator's own high-water mark, not pytest's
