"""One Jinja environment; templates receive a frozen view model's fields and nothing else."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from typing import Any

import jinja2


def templates_dir() -> Path:
    """The wheel ships ``templates/`` inside the package; a checkout has it at the repo root."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("gradio-codegen's templates/ folder is missing; reinstall it")


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is code: escaping happens per language in ``literals``
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def context(view: Any) -> dict[str, Any]:
    """The top-level fields of a view model; nested view models stay objects."""
    return {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}


def render(template: str, view: Any) -> str:
    return environment().get_template(template).render(context(view))
