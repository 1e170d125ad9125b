"""Many apps at once: the ``[tool.gradio-codegen]`` table, read and run.

``pyproject.toml`` holds it under ``[tool.gradio-codegen]``; a ``gradio-codegen.toml`` holds
the same keys at its top level::

    timeout = 30                     # optional, seconds per schema request
    targets = ["python", "docs"]     # optional, as --targets (default: all); also per app
    templates = "my-templates"       # optional, as --templates, relative; also per app
    [[apps]]                         # [[tool.gradio-codegen.apps]] in pyproject.toml
    src = "abidlabs/whisper"         # Space id, URL or saved schema, as on the command line
    output = "clients/whisper"       # relative to the file's folder
    name = "whisper"                 # optional, as --name
    base_url = "https://..."         # optional, as --base-url
    token_env = "WHISPER_TOKEN"      # optional: the variable holding its token (default HF_TOKEN)

Schemas are fetched concurrently (the waiting is network-bound); generating stays serial.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.errors import CodegenError, SourceError, UsageError
from codegen.hub import ambient_token
from codegen.source import RawSchema, read_source

CONFIG_NAME = "gradio-codegen.toml"
_APP_KEYS = frozenset({"src", "output", "name", "base_url", "token_env", "targets", "templates"})
_MAX_FETCHES = 8


@dataclass(frozen=True, slots=True)
class AppEntry:
    src: str  # relative file paths already resolved against the config's folder
    output: Path
    name: str | None = None
    base_url: str | None = None
    token_env: str = "HF_TOKEN"
    targets: tuple[str, ...] | None = None  # None: all
    templates: Path | None = None


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    apps: tuple[AppEntry, ...]
    timeout: float | None = None  # None: the command line's default


def find_config(folder: Path) -> Path:
    """``gradio-codegen.toml`` first, then a ``pyproject.toml`` with the table."""
    own = folder / CONFIG_NAME
    if own.is_file():
        return own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and "gradio-codegen" in _load(pyproject).get("tool", {}):
        return pyproject
    raise SourceError(
        f"no SRC given and no {CONFIG_NAME} or [tool.gradio-codegen] in pyproject.toml in {folder}",
        "give SRC -o DIR, or list the apps in a config file (see the README)",
    )


def load_config(path: Path) -> Config:
    doc = _load(path)
    table = doc.get("tool", {}).get("gradio-codegen") if path.name == "pyproject.toml" else doc
    where = "[tool.gradio-codegen]" if path.name == "pyproject.toml" else str(path)
    if not isinstance(table, dict):
        raise SourceError(f"{path} has no [tool.gradio-codegen] table", "add one (see the README)")
    apps = table.get("apps")
    if not isinstance(apps, list) or not apps:
        raise SourceError(f"{where} lists no apps", "add [[apps]] entries with src and output")
    timeout = table.get("timeout")
    bad = isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    if timeout is not None and bad:
        raise SourceError(f"{where}: timeout must be a positive number", "e.g. timeout = 30")
    shared = {k: table[k] for k in ("targets", "templates") if k in table}
    entries = tuple(
        _entry(path.parent, where, i, shared | a if isinstance(a, dict) else a)
        for i, a in enumerate(apps)
    )
    outputs = [e.output.resolve() for e in entries]
    for i, out in enumerate(outputs):
        if out in outputs[:i]:
            raise SourceError(f"{where}: two apps write to {out}", "give each app its own output")
    return Config(path, entries, None if timeout is None else float(timeout))


def select(config: Config, names: Sequence[str]) -> tuple[AppEntry, ...]:
    """The apps ``names`` pick (each an app's ``name``, its ``output`` as the file spells it
    or that folder's name, or its ``src``), in the config's order; all when none is given."""
    if not names:
        return config.apps
    base = config.path.parent

    def labels(entry: AppEntry) -> set[str]:
        output = Path(os.path.relpath(entry.output, base))
        src = Path(os.path.relpath(entry.src, base)).as_posix() if Path(entry.src).exists() else ""
        return {entry.name or "", output.as_posix(), output.name, entry.src, src} - {""}

    unknown = [n for n in names if not any(n.rstrip("/") in labels(e) for e in config.apps)]
    if unknown:
        known = ", ".join(sorted({e.name or e.output.name for e in config.apps}))
        raise UsageError(f"no app {unknown[0]!r} in {config.path}", f"its apps: {known}")
    return tuple(e for e in config.apps if any(n.rstrip("/") in labels(e) for n in names))


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}", "check the file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path} is not valid TOML: {exc}", "fix the file") from exc


def _entry(base: Path, where: str, index: int, raw: Any) -> AppEntry:
    label = f"{where}: app {index + 1}"
    if not isinstance(raw, dict):
        raise SourceError(f"{label} is not a table", "write [[apps]] with src and output keys")
    unknown = sorted(set(raw) - _APP_KEYS)
    if unknown:
        raise SourceError(f"{label} has unknown keys {unknown}", f"use {sorted(_APP_KEYS)}")
    targets = _targets(label, raw.pop("targets", None))
    values: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str) or not value:
            raise SourceError(f"{label}: {key} must be a non-empty string", "quote it")
        values[key] = value
    if "src" not in values or "output" not in values:
        raise SourceError(f"{label} needs src and output", 'e.g. src = "owner/space"')
    src = values["src"]
    if not src.startswith(("http://", "https://")) and (base / src).exists():
        src = str(base / src)
    return AppEntry(
        src=src,
        output=base / values["output"],
        name=values.get("name"),
        base_url=values.get("base_url"),
        token_env=values.get("token_env", "HF_TOKEN"),
        targets=targets,
        templates=base / values["templates"] if "templates" in values else None,
    )


def _targets(label: str, raw: Any) -> tuple[str, ...] | None:
    """A list of names, or one comma-separated string as on the command line."""
    if raw is None:
        return None
    names = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SourceError(f"{label}: targets must be a list of names", 'e.g. targets = ["python"]')
    return tuple(n.strip() for n in names if n.strip())


def fetch_all(
    entries: Sequence[AppEntry],
    timeout: float,
    token: str | None,
    read: Callable[..., RawSchema] = read_source,
) -> list[RawSchema | CodegenError]:
    """Each app's schema, or the error that stopped it, in the config's order. ``read`` is
    ``read_source`` with the command's --wait and progress lines bound."""

    def fetch(entry: AppEntry) -> RawSchema | CodegenError:
        try:
            if entry.token_env == "HF_TOKEN":  # the ambient token: Hugging Face hosts only
                return read(entry.src, token=token, timeout=timeout, env_token=ambient_token())
            named = os.environ.get(entry.token_env)
            # a variable the config names holds this app's own token, sent as --token is
            return read(entry.src, token=token or named, timeout=timeout, env_token=None)
        except CodegenError as exc:
            return exc

    pool = ThreadPoolExecutor(max_workers=min(_MAX_FETCHES, len(entries)))
    try:
        return list(pool.map(fetch, entries))
    finally:  # after Ctrl-C, no waiting for the requests still in flight
        pool.shutdown(wait=False, cancel_futures=True)
