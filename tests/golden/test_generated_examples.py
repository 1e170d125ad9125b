"""generated_examples/ is what the generator makes of fixtures/openapi/, byte for byte.

Update after an intended change with: pytest tests/golden --update-golden

The comparison is the generator's own: a lock that differs in its seal alone is no drift
(``plan_update``), so a change to the generator that leaves the output alone needs no update;
an update writes the current seal.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.errors import SchemaError
from codegen.lock import source_label
from codegen.pipeline import DEFAULT_TARGETS, Options, plan, plan_folder, plan_update
from codegen.source import read_source
from tests.paths import CORPUS_VERSIONS, ROOT, SCHEMAS, corpus
from tests.tsc import tsc_strict

FIXTURES = SCHEMAS
EXAMPLES = ROOT / "generated_examples"
VERSIONS = CORPUS_VERSIONS
# hostile/ holds cases of its own (tests/hostile)
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "hostile")
# examples that also show the opt-in targets
WITH_MCP = frozenset({"e2e_media"})


def options(name: str) -> Options:
    return Options(name=name, targets=(*DEFAULT_TARGETS, "mcp") if name in WITH_MCP else None)


def planned(name: str, *, fresh: bool = False) -> dict[str, str]:
    """The whole folder the CLI writes into generated_examples/NAME, lock and saved schemas
    included; ``fresh``: as into an empty folder."""
    src = FIXTURES / name  # the folder: openapi, info, config
    raw = read_source(str(src), None)
    args = (raw, options(name), source_label(str(src), EXAMPLES / name))
    _, files = plan_folder(*args) if fresh else plan_update(*args, EXAMPLES / name)
    return {str(f.relpath): f.text for f in files}


def executables(name: str) -> set[str]:
    raw = read_source(str(FIXTURES / name), None)
    return {str(f.relpath) for f in plan(raw, options(name))[1] if f.executable}


@pytest.mark.parametrize("name", NAMES)
def test_generated_examples_match(name: str, request: pytest.FixtureRequest) -> None:
    update = request.config.getoption("--update-golden")
    files = planned(name, fresh=update)
    folder = EXAMPLES / name
    if update:
        shutil.rmtree(folder, ignore_errors=True)
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8", newline="\n")
            if rel in executables(name):
                (folder / rel).chmod(0o755)
    on_disk = {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.is_file()
    }
    if on_disk != files:
        diff = []
        for rel in sorted(set(on_disk) | set(files)):
            diff += difflib.unified_diff(
                on_disk.get(rel, "").splitlines(),
                files.get(rel, "").splitlines(),
                f"generated_examples/{name}/{rel}",
                "generated now",
                lineterm="",
            )
        pytest.fail(
            "generated_examples/ drifted; if intended run: pytest tests/golden --update-golden\n"
            + "\n".join(diff[:80])
        )


def test_generation_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run(
            [
                sys.executable,
                "-m",
                "codegen",
                str(FIXTURES / "kitchen_sink" / "openapi.json"),
                "-o",
                str(out),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(
            {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert outputs[0] == outputs[1] and outputs[0]


def test_examples_pass_mypy_strict(tmp_path: Path) -> None:
    packages = [str(p) for p in EXAMPLES.glob("*/python/*") if (p / "py.typed").exists()]
    assert len(packages) == len(NAMES)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    # the cache goes to tmp_path: inside the example it would become part of the golden
    cache = ["--cache-dir", str(tmp_path / "mypy")]
    for name in sorted(WITH_MCP):  # the MCP server, against its client
        server = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "mcp", *cache],
            capture_output=True,
            text=True,
            check=False,
            cwd=EXAMPLES / name,
            env={**os.environ, "MYPYPATH": str(EXAMPLES / name / "python")},
        )
        assert server.returncode == 0, server.stdout


def _has_public_endpoint(info: dict[str, Any]) -> bool:
    """What each version calls public: 6.x api_visibility, 4.x/5.x show_api, 3.x every event."""
    named = info["named_endpoints"].values()
    return bool(info.get("unnamed_endpoints")) or any(
        e.get("api_visibility", "public") == "public" and e.get("show_api", True) is not False
        for e in named
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_corpus_capture_generates_clients_that_pass_mypy_and_tsc_strict(
    tmp_path: Path, version: str
) -> None:
    """Python passes ``mypy --strict``, JS declarations ``tsc --strict``, curl shellcheck."""
    folders = sorted(p for p in corpus(version).iterdir() if p.is_dir())
    assert len(folders) >= 20, f"the corpus is missing at {corpus(version)}"
    packages = []
    for folder in folders:
        name = folder.name
        raw = read_source(str(folder), None)
        if not _has_public_endpoint(raw.info or {}):  # e.g. calculator_blocks hides its only one
            with pytest.raises(SchemaError, match="no public API endpoints"):
                plan(raw, Options())
            continue
        _, files = plan(raw, Options(name=f"c_{name}"))
        for f in files:
            (tmp_path / name / f.relpath).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / f.relpath).write_text(f.text, encoding="utf-8")
        packages.append(str(tmp_path / name / "python" / f"c_{name}"))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    declarations = sorted(tmp_path.glob("*/js/*.d.ts"))
    assert len(declarations) == 2 * len(packages)
    checked = tsc_strict(declarations, tmp_path)
    assert checked.returncode == 0, checked.stdout[-3000:]
    scripts = sorted(str(p) for p in tmp_path.glob("*/curl/*.sh"))
    linted = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout[-3000:]


def test_executable_bits_match() -> None:
    for name in NAMES:
        folder = EXAMPLES / name
        on_disk = {
            str(p.relative_to(folder))
            for p in folder.rglob("*")
            if p.is_file() and os.access(p, os.X_OK)
        }
        assert on_disk == executables(name), name


def test_curl_scripts_pass_bash_n_and_shellcheck() -> None:
    scripts = sorted(str(p) for p in EXAMPLES.glob("*/curl/*.sh"))
    assert len(scripts) >= len(NAMES)
    for script in scripts:
        assert subprocess.run(["bash", "-n", script]).returncode == 0, script
    result = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[:3000]


def test_js_modules_pass_node_check() -> None:
    modules = sorted(str(p) for p in EXAMPLES.glob("*/js/*.js"))
    assert len(modules) == 2 * len(NAMES)
    for module in modules:
        result = subprocess.run(["node", "--check", module], capture_output=True, text=True)
        assert result.returncode == 0, module + result.stderr
