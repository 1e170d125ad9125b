"""One Jinja environment; templates receive a frozen view model's fields and nothing else.

A user's template folder (``--templates``) gets an environment of its own: sandboxed, with
the built-in templates behind it and the naming and escaping layers as filters, so a custom
template never escapes or names anything itself. Its errors name the template and line.
"""

from __future__ import annotations

import dataclasses
import json
import traceback
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from codegen import literals
from codegen.errors import TemplateError
from codegen.ir import JsonValue
from codegen.naming import identifiers


def templates_dir() -> Path:
    """The wheel ships ``templates/`` inside the package; a checkout has it at the repo root."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("gradio-codegen's templates/ folder is missing; reinstall it")


_OPTIONS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "autoescape": False,  # the output is code: escaping happens per language in ``literals``
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir()), **_OPTIONS)


def context(view: Any) -> dict[str, Any]:
    """The top-level fields of a view model; nested view models stay objects."""
    return {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}


def render(template: str, view: Any, templates: Path | None = None) -> str:
    """A built-in template, or the user's file of the same path when ``templates`` has one."""
    if templates is None:
        return environment().get_template(template).render(context(view))
    return render_user(templates, template, context(view))


# -- user templates -------------------------------------------------------------------------


def _naming(style: str) -> Callable[..., str | list[str]]:
    """A filter: a string gives one identifier, a list gives distinct ones in one scope."""

    def name(value: str | Iterable[str], reserved: Iterable[str] = ()) -> str | list[str]:
        if isinstance(value, str):
            return identifiers([value], style, reserved)[0]
        return identifiers([str(v) for v in value], style, reserved)

    name.__name__ = f"{style}_ident"
    return name


def _json(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


FILTERS: dict[str, Callable[..., Any]] = {
    # identifiers: {{ endpoint.api_name | go_exported }}, {{ names | go_ident(["ctx"]) }}
    "py_ident": _naming("py"),
    "py_class": _naming("py_class"),
    "js_ident": _naming("js"),
    "js_class": _naming("js_class"),
    "go_ident": _naming("go"),
    "go_exported": _naming("go_exported"),
    "go_package": _naming("go_package"),
    "file_stem": _naming("file"),
    # literals that evaluate back to the value, and prose that cannot end its comment
    "py_value": literals.py_literal,
    "py_doc": literals.py_docstring_body,
    "js_value": literals.js_literal,
    "js_doc": literals.js_doc,
    "sh_str": literals.sh_quote,
    "go_str": literals.go_string,
    "go_comment": literals.go_comment,
    "comment": literals.comment,
    "md_text": literals.md_text,
    "md_code": literals.md_code,
    "json": _json,
}


@cache
def user_environment(folder: Path) -> SandboxedEnvironment:
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(folder), jinja2.FileSystemLoader(templates_dir())]
    )
    env = SandboxedEnvironment(loader=loader, **_OPTIONS)
    env.filters.update(FILTERS)
    return env


def render_user(folder: Path, template: str, values: Mapping[str, Any]) -> str:
    """Renders in the sandbox; any failure is one ``TemplateError`` naming file and line."""
    try:
        return user_environment(folder.resolve()).get_template(template).render(values)
    except Exception as exc:
        where = _where(exc, folder.resolve(), template)
        message = exc.message if isinstance(exc, jinja2.TemplateError) else str(exc)
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"template not found: {exc.name}"
        raise TemplateError(
            f"{where}: {message or type(exc).__name__}", "fix the template; nothing was written"
        ) from exc


def _where(exc: BaseException, folder: Path, template: str) -> str:
    filename, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno
    else:
        # Jinja rewrites the traceback so that template frames carry the template's lines
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith(".jinja"):
                filename, line = frame.f_code.co_filename, lineno
    shown = template if filename is None else _relative(Path(filename), folder)
    return f"{shown}, line {line}" if line is not None else shown


def _relative(path: Path, folder: Path) -> str:
    for base, label in ((folder, str(folder)), (templates_dir(), "built-in templates")):
        if path.is_relative_to(base):
            return f"{label}/{path.relative_to(base).as_posix()}"
    return str(path)
