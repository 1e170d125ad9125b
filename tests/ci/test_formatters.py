"""The same generator version, the same bytes, whatever formatter versions are installed.

pyproject.toml pins black and ruff exactly; a user who forces others (``.venvs/formatters-
alt``, made by scripts/test, holds other releases, put in front of .venv's packages here)
gets the same files, and a lock naming the other formatter is no drift."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.folders import snapshot
from tests.paths import ROOT, SCHEMAS

APPS = ("e2e_media", "kitchen_sink")


def test_the_formatters_that_shape_the_bytes_are_pinned_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = dict(
        re.fullmatch(r"([a-z-]+)==([0-9.]+)", d).groups()
        for d in project["dependencies"]
        if "==" in d
    )  # type: ignore[union-attr]
    assert pins == {"black": version("black"), "ruff": version("ruff")}


def _alt_python() -> Path:
    python = ROOT / ".venvs" / "formatters-alt" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} is missing: ./scripts/test creates it")
    return python


def _run(python: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The generator under ``python``: the alternative venv's formatters first, then the
    checkout and .venv's packages (jinja2, pydantic, ...)."""
    alt = sysconfig.get_path("purelib", vars={"base": str(ROOT / ".venvs" / "formatters-alt")})
    paths = [] if str(python) == sys.executable else [alt]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*paths, str(ROOT), sysconfig.get_path("purelib")]),
    }
    return subprocess.run(
        [str(python), "-m", "codegen", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def _configure(folder: Path) -> None:
    folder.mkdir()
    (folder / "gradio-codegen.toml").write_text(
        "".join(f'[[apps]]\nsrc = "{SCHEMAS / a}"\noutput = "{a}"\n' for a in APPS),
        encoding="utf-8",
    )


def test_other_formatter_versions_make_the_same_bytes_and_no_drift(tmp_path: Path) -> None:
    """One config run per step: generated with the pinned formatters and with others, then
    the pinned build's folders checked and regenerated with the others."""
    alt = _alt_python()
    ours = f"ruff {version('ruff')} + black {version('black')}"
    pinned_dir, other_dir = tmp_path / "pinned", tmp_path / "other"
    for folder, python in ((pinned_dir, Path(sys.executable)), (other_dir, alt)):
        _configure(folder)
        made = _run(python, [], folder)
        assert made.returncode == 0, made.stderr
    pinned, other = snapshot(pinned_dir), snapshot(other_dir)
    locks = {p for p in pinned if p.endswith("gradio-codegen.lock")}
    assert {p: b for p, b in pinned.items() if p not in locks} == {
        p: b for p, b in other.items() if p not in locks
    }
    theirs = re.search(r'"formatter": "([^"]+)"', other[f"{APPS[0]}/gradio-codegen.lock"].decode())
    assert theirs is not None and theirs[1] != ours  # the other venv really formats otherwise

    note = f"(its lock names {ours}; {theirs[1]} made the same bytes)"
    for args in (["--check"], ["regen", "--check"]):
        result = _run(alt, args, pinned_dir)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == "".join(f"up to date: {a} {note}\n" for a in APPS)
    assert _run(alt, ["regen"], pinned_dir).returncode == 0
    assert snapshot(pinned_dir) == pinned  # the lock is kept: nothing to commit
