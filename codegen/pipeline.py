"""The whole pipeline: source -> parse -> model -> targets -> templates -> format -> write.

``plan`` is pure (no writes), so tests and ``--check`` style callers can use it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from codegen.format import format_python, tidy
from codegen.ir import App
from codegen.parse import parse
from codegen.render import render
from codegen.runtime import RUNTIME_PATH
from codegen.source import RawSchema, read_source
from codegen.targets import python
from codegen.write import PlannedFile, write


@dataclass(frozen=True, slots=True)
class Options:
    name: str | None = None
    base_url: str | None = None


def plan(raw: RawSchema, options: Options) -> tuple[App, list[PlannedFile]]:
    if options.base_url:
        raw = replace(raw, origin=options.base_url.rstrip("/"))
    app = parse(raw)
    return app, plan_python(app, options)


def plan_python(app: App, options: Options) -> list[PlannedFile]:
    view = python.build(app, options.name)
    root = PurePosixPath("python")
    pkg = root / view.package
    files = [
        PlannedFile(root / "pyproject.toml", tidy(render("python/pyproject.toml.jinja", view))),
        PlannedFile(root / "README.md", tidy(render("python/README.md.jinja", view))),
        PlannedFile(pkg / "py.typed", ""),
        PlannedFile(pkg / "_runtime.py", RUNTIME_PATH.read_text(encoding="utf-8")),
    ]
    for module in ("__init__", "client", "models"):
        source = render(f"python/{module}.py.jinja", view)
        files.append(PlannedFile(pkg / f"{module}.py", format_python(source)))
    return sorted(files, key=lambda f: f.relpath)


def generate(
    src: str, out_dir: Path, options: Options, token: str | None, timeout: float = 30.0
) -> tuple[App, list[PlannedFile]]:
    raw = read_source(src, token, timeout)
    app, files = plan(raw, options)
    write(out_dir, files)
    return app, files
