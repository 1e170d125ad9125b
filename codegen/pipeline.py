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
from codegen.runtime import JS_RUNTIME_PATH, JS_RUNTIME_TYPES_PATH, RUNTIME_PATH
from codegen.source import RawSchema, read_source
from codegen.targets import apipage, curl, js, python
from codegen.write import PlannedFile, write


@dataclass(frozen=True, slots=True)
class Options:
    name: str | None = None
    base_url: str | None = None


def plan(raw: RawSchema, options: Options) -> tuple[App, list[PlannedFile]]:
    if options.base_url:
        raw = replace(raw, origin=options.base_url.rstrip("/"))
    app = parse(raw)
    page = PlannedFile(
        PurePosixPath("README.md"),
        tidy(render("apipage/README.md.jinja", apipage.build(app, options.name))),
    )
    files = [page, *plan_python(app, options), *plan_js(app, options), *plan_curl(app)]
    return app, sorted(files, key=lambda f: f.relpath)


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
    return files


def plan_js(app: App, options: Options) -> list[PlannedFile]:
    view = js.build(app, options.name)
    root = PurePosixPath("js")
    return [
        PlannedFile(root / "package.json", tidy(render("js/package.json.jinja", view))),
        PlannedFile(root / "index.js", tidy(render("js/index.js.jinja", view))),
        PlannedFile(root / "index.d.ts", tidy(render("js/index.d.ts.jinja", view))),
        PlannedFile(root / "_runtime.js", JS_RUNTIME_PATH.read_text(encoding="utf-8")),
        PlannedFile(root / "_runtime.d.ts", JS_RUNTIME_TYPES_PATH.read_text(encoding="utf-8")),
    ]


def plan_curl(app: App) -> list[PlannedFile]:
    root = PurePosixPath("curl")
    return [
        PlannedFile(root / s.filename, tidy(render("curl/endpoint.sh.jinja", s)), executable=True)
        for s in curl.build(app)
    ]


def generate(
    src: str, out_dir: Path, options: Options, token: str | None, timeout: float = 30.0
) -> tuple[App, list[PlannedFile]]:
    raw = read_source(src, token, timeout)
    app, files = plan(raw, options)
    write(out_dir, files)
    return app, files
