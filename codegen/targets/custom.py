"""Targets from a user's template folder (``--templates DIR``).

``DIR/python/client.py.jinja`` replaces the built-in template of that path; ``DIR/go/``,
which names no built-in target, is a new target written to ``-o/go/``. In a new target:

- ``name.ext.jinja`` renders to ``name.ext``, with the model JSON (``model_json``) as its
  context, plus ``package`` (the package name, as the Python client's) and ``target``;
- ``__endpoint__`` in a path renders once per endpoint, with ``endpoint`` in the context and
  the endpoint's file stem (from the naming layer) in place of ``__endpoint__``;
- any other ``.jinja`` file whose name starts with ``_`` is a partial (for ``import`` / ``include``)
  and writes nothing; any other file is copied as it is (executable stays executable);
- hidden files and folders (``.name``) are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from codegen.errors import UsageError
from codegen.format import tidy
from codegen.ir import App
from codegen.lock import LOCK_NAME, SCHEMA_FILES
from codegen.model_json import model_json
from codegen.naming import identifiers
from codegen.render import render_user, templates_dir
from codegen.write import PlannedFile

# template folder -> the built-in target it renders (the API page is the "docs" target)
BUILTIN_FOLDERS = {"python": "python", "js": "js", "curl": "curl", "apipage": "docs"}
ENDPOINT_PART = "__endpoint__"
_TARGET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TAKEN = frozenset({LOCK_NAME, "README.md", *SCHEMA_FILES.values(), *BUILTIN_FOLDERS.values()})


def _files(root: Path) -> list[PurePosixPath]:
    """Every file under ``root``, relative, sorted, hidden ones left out."""
    found = []
    for path in root.rglob("*"):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            found.append(rel)
    return sorted(found)


def discover(folder: Path) -> tuple[str, ...]:
    """The new targets ``folder`` adds, sorted; its overrides must each match a built-in."""
    if not folder.is_dir():
        raise UsageError(
            f"--templates {folder}: no such folder", "give a folder laid out like templates/"
        )
    builtin = templates_dir()
    new = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.name.startswith(".") or not child.is_dir():
            continue
        if child.name in BUILTIN_FOLDERS:
            for rel in _files(child):
                if not (builtin / child.name / rel).is_file():
                    known = ", ".join(p.name for p in sorted((builtin / child.name).iterdir()))
                    raise UsageError(
                        f"{folder}/{child.name}/{rel} replaces no built-in template "
                        f"(those of {child.name}/ are {known})",
                        "rename it, or move it to a folder of its own to make a new target",
                    )
        elif child.name in _TAKEN or not _TARGET_NAME.match(child.name):
            raise UsageError(
                f"{folder}/{child.name}: a new target needs a name of lower-case letters, digits, "
                f"'_' and '-' that is not one of {', '.join(sorted(_TAKEN))}",
                "rename the folder (the docs target's templates live in apipage/)",
            )
        else:
            new.append(child.name)
    return tuple(new)


def plan(folder: Path, target: str, app: App, package: str) -> list[PlannedFile]:
    root = folder / target
    values: dict[str, Any] = {**model_json(app), "package": package, "target": target}
    stems = identifiers([e.api_name for e in app.endpoints], "file")
    out = PurePosixPath(target)
    files = []
    for rel in _files(root):
        template = f"{target}/{rel}"
        if rel.suffix != ".jinja":
            text = _read(root / rel)
            files.append(PlannedFile(out / rel, text, executable=_executable(root / rel)))
            continue
        if rel.name.startswith("_") and not rel.name.startswith(ENDPOINT_PART):
            continue
        name = str(rel)[: -len(".jinja")]
        if ENDPOINT_PART not in name:
            text = tidy(render_user(folder, template, values))
            files.append(PlannedFile(out / name, text, executable=_executable(root / rel)))
            continue
        for endpoint, stem in zip(values["endpoints"], stems, strict=True):
            text = tidy(render_user(folder, template, {**values, "endpoint": endpoint}))
            path = out / name.replace(ENDPOINT_PART, stem)
            files.append(PlannedFile(path, text, executable=_executable(root / rel)))
    return files


def _read(path: Path) -> str:
    """The file's text byte for byte (``read_text`` would turn its CRLF into LF)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}", "templates are UTF-8 text") from exc


def _executable(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o100)
