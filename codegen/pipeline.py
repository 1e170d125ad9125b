"""The whole pipeline: source -> parse -> model -> targets -> templates -> format -> write.

``plan`` is pure (no writes), so tests and ``--check`` style callers can use it in memory;
``plan_folder`` adds the lock and saved schemas, ``plan_update`` weighs them against the
folder's lock, ``publish`` writes and ``check`` compares. A folder whose lock shows that this
very generator build made it from these very inputs is neither rendered again nor written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from codegen.apidiff import Change, bump, diff_apps
from codegen.errors import CodegenError, SourceError, TemplateError, UsageError
from codegen.format import format_python, formatter, tidy
from codegen.ir import App
from codegen.lock import (
    LOCK_NAME,
    Lock,
    file_hashes,
    keep_lock,
    lock_files,
    read_lock,
    saved_schema,
    source_label,
    unchanged,
)
from codegen.parse import parse
from codegen.render import render
from codegen.runtime import (
    JS_RUNTIME_PATH,
    JS_RUNTIME_TYPES_PATH,
    MCP_RUNTIME_PATH,
    RUNTIME_FILES,
    SH_RUNTIME_PATH,
)
from codegen.source import RawSchema, read_source
from codegen.targets import apipage, curl, custom, js, mcp, python
from codegen.write import PlannedFile, drift, refuse_unowned, write

DEFAULT_TARGETS = ("python", "js", "curl", "docs")
# built in, but written only when asked for: the MCP server needs a dependency (the MCP SDK)
# that no other output has
OPT_IN_TARGETS = ("mcp",)
BUILTIN_TARGETS = (*DEFAULT_TARGETS, *OPT_IN_TARGETS)
# a target that imports another's output brings it along
_NEEDS = {"mcp": "python"}
INITIAL_VERSION = "0.1.0"  # a new folder's package
# MAJOR.MINOR.PATCH, which pip (PEP 440) and npm (semver) both read the same way
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


@dataclass(frozen=True, slots=True)
class Options:
    name: str | None = None
    base_url: str | None = None
    targets: tuple[str, ...] | None = None  # None: every built-in and custom target
    templates: Path | None = None  # the user's template folder (--templates)
    package_version: str | None = None  # --package-version; None: it follows the API


def chosen_targets(options: Options) -> tuple[str, ...]:
    """The targets to render, built-in ones first; an unknown name is a usage error. By
    default every target but the opt-in ones; ``mcp`` brings ``python``, which it imports."""
    extra = custom.discover(options.templates) if options.templates else ()
    known = (*BUILTIN_TARGETS, *extra)
    if options.targets is None:
        return tuple(t for t in known if t not in OPT_IN_TARGETS)
    unknown = [t for t in options.targets if t not in known]
    if unknown or not options.targets:
        what = f"unknown target {unknown[0]!r}" if unknown else "no target chosen"
        raise UsageError(f"{what}: the known targets are {', '.join(known)}")
    chosen = {*options.targets, *(_NEEDS[t] for t in options.targets if t in _NEEDS)}
    return tuple(t for t in known if t in chosen)


def plan(
    raw: RawSchema, options: Options, version: str = INITIAL_VERSION
) -> tuple[App, list[PlannedFile]]:
    """The targets' files, for a package of ``version``."""
    targets = chosen_targets(options)
    app = _parse(raw, options)
    user = options.templates
    files: list[PlannedFile] = []
    if "python" in targets or "docs" in targets:
        py_view = python.build(app, options.name, version)  # the API page uses it too
        mcp_view = mcp.build(app, py_view) if "mcp" in targets else None
        if "docs" in targets:
            page = render("apipage/README.md.jinja", apipage.build(app, py_view, mcp_view), user)
            files.append(PlannedFile(PurePosixPath("README.md"), tidy(page)))
        if "python" in targets:
            files += plan_python(py_view, user)
        if mcp_view is not None:
            files += plan_mcp(mcp_view, user)
    if "js" in targets:
        files += plan_js(app, options, version)
    if "curl" in targets:
        files += plan_curl(app, user)
    if user is not None:
        package = python.package_name(app, options.name)
        for target in (t for t in targets if t not in BUILTIN_TARGETS):
            files += custom.plan(user, target, app, package)
    return app, sorted(files, key=lambda f: f.relpath)


def _parse(raw: RawSchema, options: Options) -> App:
    """The app as the clients call it: at ``--base-url`` when given."""
    if options.base_url:
        raw = replace(raw, origin=options.base_url.rstrip("/"))
    return parse(raw)


def plan_python(view: python.PyPackage, templates: Path | None = None) -> list[PlannedFile]:
    root = PurePosixPath("python")
    pkg = root / view.package
    files = [
        PlannedFile(
            root / "pyproject.toml", tidy(render("python/pyproject.toml.jinja", view, templates))
        ),
        PlannedFile(root / "README.md", tidy(render("python/README.md.jinja", view, templates))),
        PlannedFile(pkg / "py.typed", ""),
        *(
            PlannedFile(pkg / "_runtime" / path.name, path.read_text(encoding="utf-8"))
            for path in RUNTIME_FILES
        ),
    ]
    modules = ("__init__", "client", "models")
    sources = [render(f"python/{module}.py.jinja", view, templates) for module in modules]
    if templates is not None:  # a user's template may render what is no Python at all
        for module, source in zip(modules, sources, strict=True):
            _check_python(templates, f"python/{module}.py.jinja", source)
    for module, text in zip(modules, format_python(sources), strict=True):
        files.append(PlannedFile(pkg / f"{module}.py", text))
    return files


def _check_python(templates: Path, template: str, source: str) -> None:
    """A custom template's output must parse before the formatter sees it, so that the
    user's mistake is a ``TemplateError`` and not a formatter failure of ours."""
    try:
        ast.parse(source)
    except SyntaxError as exc:
        raise TemplateError(
            f"{templates / template}: renders Python that does not parse "
            f"(line {exc.lineno} of the output: {exc.msg})",
            "fix the template; nothing was written",
        ) from exc


def plan_mcp(view: mcp.McpServer, templates: Path | None = None) -> list[PlannedFile]:
    root = PurePosixPath("mcp")
    server = render("mcp/server.py.jinja", view, templates)
    if templates is not None:
        _check_python(templates, "mcp/server.py.jinja", server)
    return [
        PlannedFile(root / "README.md", tidy(render("mcp/README.md.jinja", view, templates))),
        PlannedFile(
            root / "server.py", format_python([server])[0], executable=is_script(root / "server.py")
        ),
        PlannedFile(root / "_mcp_runtime.py", MCP_RUNTIME_PATH.read_text(encoding="utf-8")),
    ]


def plan_js(app: App, options: Options, version: str = INITIAL_VERSION) -> list[PlannedFile]:
    view = js.build(app, options.name, version)
    root = PurePosixPath("js")
    user = options.templates
    return [
        PlannedFile(root / "package.json", tidy(render("js/package.json.jinja", view, user))),
        PlannedFile(root / "README.md", tidy(render("js/README.md.jinja", view, user))),
        PlannedFile(root / "index.js", tidy(render("js/index.js.jinja", view, user))),
        PlannedFile(root / "index.d.ts", tidy(render("js/index.d.ts.jinja", view, user))),
        PlannedFile(root / "_runtime.js", JS_RUNTIME_PATH.read_text(encoding="utf-8")),
        PlannedFile(root / "_runtime.d.ts", JS_RUNTIME_TYPES_PATH.read_text(encoding="utf-8")),
    ]


def plan_curl(app: App, templates: Path | None = None) -> list[PlannedFile]:
    root = PurePosixPath("curl")
    # the scripts end in .sh, so none can take the shared file's name
    return [
        PlannedFile(root / "_runtime.bash", SH_RUNTIME_PATH.read_text(encoding="utf-8")),
        *(
            PlannedFile(
                root / s.filename,
                tidy(render("curl/endpoint.sh.jinja", s, templates)),
                executable=is_script(root / s.filename),
            )
            for s in curl.build(app)
        ),
    ]


def is_script(relpath: PurePosixPath) -> bool:
    """The curl scripts and the MCP server: the only built-in files written executable."""
    if relpath.parts[0] == "mcp":
        return relpath == PurePosixPath("mcp/server.py")
    return relpath.parts[0] == "curl" and relpath.suffix == ".sh"


def generate(
    src: str, out_dir: Path, options: Options, token: str | None, timeout: float = 30.0
) -> tuple[App, list[PlannedFile]]:
    raw = read_source(src, token, timeout)
    return publish(raw, options, source_label(src, out_dir), out_dir)


# The output folder as a whole: the targets' files, the saved schemas and the lock.


def plan_folder(
    raw: RawSchema, options: Options, source: str, out_dir: Path | None = None
) -> tuple[App, list[PlannedFile]]:
    """The targets' files first, so that a --check diff starts with the code."""
    previous = read_lock(out_dir) if out_dir is not None else None
    app, files, version = plan_versioned(raw, options, out_dir, previous)
    recorded, targets = _recorded(options, out_dir)
    lock = lock_files(
        raw, source, recorded, app.gradio_version, files, formatter(), targets, version
    )
    return app, [*files, *lock]


def plan_versioned(
    raw: RawSchema, options: Options, out_dir: Path | None, previous: Lock | None
) -> tuple[App, list[PlannedFile], str]:
    """``plan`` at the package version the API calls for: ``--package-version`` when given,
    else the folder's, bumped by what changed since its lock (``apidiff.bump``): the API as
    the Gradio-aware diff of the saved schemas and these tells it, else the files. The same
    folder and inputs give the same version."""
    if options.package_version is not None:
        if not VERSION.match(options.package_version):
            raise UsageError(
                f"--package-version {options.package_version!r} is not MAJOR.MINOR.PATCH",
                "give three numbers, such as 1.2.0",
            )
        return (*plan(raw, options, options.package_version), options.package_version)
    if previous is None or out_dir is None:
        return (*plan(raw, options), INITIAL_VERSION)
    base = previous.package_version or INITIAL_VERSION
    if not VERSION.match(base):
        raise SourceError(
            f"{out_dir / LOCK_NAME} records the package version {base!r}",
            "restore the lock, or pass --package-version",
        )
    app, files = plan(raw, options, base)
    try:
        before: App | None = parse(saved_schema(out_dir, previous))
    except CodegenError:  # saved schemas gone or changed: the files alone can tell
        before = None
    changes = diff_apps(before, app) if before is not None else ()
    version = bump(base, changes, file_hashes(files) != dict(previous.files))
    if version != base:
        app, files = plan(raw, options, version)
    return app, files, version


def _recorded(
    options: Options, out_dir: Path | None
) -> tuple[dict[str, str | None], tuple[str, ...] | None]:
    """The options and targets as the lock records them: a target choice and a template
    folder (relative to ``out_dir``) only when given, so a default run's lock is what it
    always was."""
    recorded: dict[str, str | None] = {"name": options.name, "base_url": options.base_url}
    if options.templates is not None:
        recorded["templates"] = source_label(str(options.templates), out_dir or Path.cwd())
    return recorded, None if options.targets is None else chosen_targets(options)


def up_to_date(
    raw: RawSchema, options: Options, source: str, out_dir: Path, previous: Lock | None
) -> bool:
    """Whether the folder is what rendering would make, told without rendering: only
    without a template folder of the user's, which may have changed since."""
    if previous is None or options.templates is not None:
        return False
    if options.package_version not in (None, previous.package_version):
        return False
    recorded, targets = _recorded(options, out_dir)
    return unchanged(out_dir, previous, raw, source, recorded, formatter(), targets, is_script)


def plan_update(
    raw: RawSchema, options: Options, source: str, out_dir: Path
) -> tuple[App, list[PlannedFile]]:
    """``plan_folder``, keeping the folder's lock where only its seal and formatter would
    change."""
    app, files = plan_folder(raw, options, source, out_dir)
    return app, keep_lock(files, out_dir)


def publish(
    raw: RawSchema, options: Options, source: str, out_dir: Path, overwrite: bool = False
) -> tuple[App, list[PlannedFile]]:
    """Writes the folder; only files the previous lock lists may be replaced or removed.
    A folder without a lock must be empty unless ``overwrite``: its files are not ours.
    Returns no files when the folder was up to date and nothing was written."""
    previous = read_lock(out_dir)
    if previous is None and not overwrite:
        refuse_unowned(out_dir, LOCK_NAME)
    if up_to_date(raw, options, source, out_dir, previous):
        return _parse(raw, options), []
    app, files = plan_update(raw, options, source, out_dir)
    write(out_dir, files, previous.owned() if previous else None)
    return app, files


@dataclass(frozen=True, slots=True)
class Check:
    diff: dict[PurePosixPath, list[str]]  # per file, unified diff lines; empty when up to date
    changes: tuple[Change, ...]  # API changes since the folder's saved schemas
    # (the folder's formatter, this run's) when they differ: with a diff, the Python may
    # differ in layout; without, the other formatter made the same bytes
    reformatted: tuple[str, str] | None = None


def check(raw: RawSchema, options: Options, source: str, out_dir: Path) -> Check:
    """Regenerates in memory and compares with the folder; writes nothing. The saved schemas
    are parsed (for the API changes) only when something differs."""
    previous = read_lock(out_dir)
    if up_to_date(raw, options, source, out_dir, previous):
        return Check({}, ())
    app, files = plan_update(raw, options, source, out_dir)
    if previous is None:
        return Check(drift(out_dir, files), ())
    diff = drift(out_dir, files, previous.owned())
    was, now = previous.formatter, formatter()
    reformatted = (was, now) if was is not None and was != now else None
    if not diff:
        return Check(diff, (), reformatted)
    before = parse(saved_schema(out_dir, previous))
    return Check(diff, diff_apps(before, app), reformatted)


def from_folder(out_dir: Path) -> tuple[RawSchema, Options, str]:
    """What a folder was generated from, read offline from its lock and saved schemas."""
    lock = read_lock(out_dir)
    if lock is None:
        raise SourceError(
            f"{out_dir} has no {LOCK_NAME}",
            "generate into it first: gradio-codegen SRC -o DIR",
        )
    templates = lock.options.get("templates")
    options = Options(
        name=lock.options.get("name"),
        base_url=lock.options.get("base_url"),
        targets=lock.targets,
        templates=None if templates is None else out_dir / templates,
    )  # the package version follows from the lock's
    return saved_schema(out_dir, lock), options, lock.source
