"""The generated package's version follows the API: the lock records it; a breaking change
(by the Gradio-aware diff) bumps the major, another API change the minor, a change of the
generated files alone the patch; ``--package-version`` overrides; the same folder and
schemas give the same version."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from codegen.cli import main
from tests.unit.test_targets_python import _endpoint, _param


def _schema(folder: Path, endpoints: dict[str, Any]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    info = {"named_endpoints": endpoints, "unnamed_endpoints": {}}
    (folder / "info.json").write_text(json.dumps(info))
    return str(folder / "info.json")


def _versions(out: Path) -> tuple[str, str, str]:
    pyproject = tomllib.loads((out / "python" / "pyproject.toml").read_text())
    package = json.loads((out / "js" / "package.json").read_text())
    lock = json.loads((out / "gradio-codegen.lock").read_text())
    return pyproject["project"]["version"], package["version"], lock["package_version"]


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


GREET = _endpoint([_param("name", {"type": "string"})])
OTHER = _endpoint([_param("text", {"type": "string"})])
ADDED = _endpoint([])


def test_the_version_follows_the_api(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    first = _schema(tmp_path / "v1", {"/greet": GREET, "/other": OTHER})
    _run(first, "-o", out)
    assert _versions(Path(out)) == ("0.1.0",) * 3
    assert "nothing written" in _run(first, "-o", out)  # the same inputs: the same version
    added = _schema(tmp_path / "v2", {"/greet": GREET, "/other": OTHER, "/added": ADDED})
    _run(added, "-o", out)
    assert _versions(Path(out)) == ("0.2.0",) * 3  # non-breaking: the minor
    _run(added, "-o", out)
    assert _versions(Path(out)) == ("0.2.0",) * 3
    removed = _schema(tmp_path / "v3", {"/greet": GREET, "/added": ADDED})
    _run(removed, "-o", out)
    assert _versions(Path(out)) == ("1.0.0",) * 3  # breaking: the major
    _run(removed, "-o", out, "--name", "renamed")
    assert _versions(Path(out)) == ("1.0.1",) * 3  # the files alone: the patch
    _run("regen", out)
    assert _versions(Path(out)) == ("1.0.1",) * 3
    _run(removed, "-o", out, "--name", "renamed", "--package-version", "3.1.4")
    assert _versions(Path(out)) == ("3.1.4",) * 3
    assert "nothing written" in _run(removed, "-o", out, "--name", "renamed")


def test_the_same_change_gives_the_same_version_in_any_folder(tmp_path: Path) -> None:
    old = _schema(tmp_path / "old", {"/greet": GREET, "/other": OTHER})
    new = _schema(tmp_path / "new", {"/greet": GREET})
    for folder in ("a", "b"):
        _run(old, "-o", str(tmp_path / folder))
        _run(new, "-o", str(tmp_path / folder))
    a, b = (tmp_path / f / "gradio-codegen.lock" for f in ("a", "b"))
    assert json.loads(a.read_text())["package_version"] == "1.0.0"
    assert a.read_text() == b.read_text()


def test_a_package_version_that_is_no_version_is_one_line(tmp_path: Path) -> None:
    src = _schema(tmp_path / "v1", {"/greet": GREET})
    result = CliRunner().invoke(
        main, [src, "-o", str(tmp_path / "out"), "--package-version", "1.0"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --package-version '1.0' is not MAJOR.MINOR.PATCH")
    assert len(result.stderr.splitlines()) == 1 and not (tmp_path / "out").exists()
