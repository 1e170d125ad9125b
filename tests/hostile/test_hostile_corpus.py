"""fixtures/openapi/hostile/: schemas made to break generators, and what must hold for each.

Every generated file parses and type-checks in its language, nothing is written outside the
output folder, and importing or loading the generated clients runs none of the schema's text
(the canary file that such text would create stays absent).
"""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.pipeline import Options, generate
from tests.tsc import tsc_strict

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "openapi" / "hostile"
CANARY = Path("/tmp/gradio_codegen_canary")  # the path the corpus' text would touch
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@pytest.fixture(scope="module", params=CASES)
def out(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    CANARY.unlink(missing_ok=True)
    root = tmp_path_factory.mktemp(request.param)
    generate(
        str(CORPUS / request.param / "info.json"),
        root / "out",
        Options(name=f"hostile_{request.param}", base_url="http://127.0.0.1:9"),
        token=None,
    )
    return root / "out"


def test_nothing_is_written_outside_the_output_folder(out: Path) -> None:
    assert [p for p in out.parent.rglob("*") if out not in p.parents and p != out] == []
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve()), path


def test_python_compiles_type_checks_and_imports_without_running_text(out: Path) -> None:
    for path in (out / "python").rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(out / "python")],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    package = next(p.name for p in (out / "python").iterdir() if (p / "client.py").exists())
    program = f"import {package} as m; m.Client(); print(sorted(m.__all__)[:1])"
    env = {**os.environ, "PYTHONPATH": str(out / "python")}
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env)
    assert ran.returncode == 0, ran.stderr
    assert not CANARY.exists()


def test_js_checks_type_checks_and_loads_without_running_text(out: Path, tmp_path: Path) -> None:
    for path in (out / "js").glob("*.js"):
        checked = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    tsc = tsc_strict([out / "js" / "index.d.ts"], tmp_path)
    assert tsc.returncode == 0, tsc.stdout[-3000:]
    program = "import('./js/index.js').then((m) => console.log(typeof new m.Client().resetSession))"
    ran = subprocess.run(["node", "-e", program], cwd=out, capture_output=True, text=True)
    assert (ran.returncode, ran.stdout) == (0, "function\n"), ran.stderr
    assert not CANARY.exists()


def test_curl_scripts_parse_pass_shellcheck_and_print_help(out: Path) -> None:
    scripts = sorted(str(p) for p in (out / "curl").glob("*.sh"))
    assert scripts
    for script in scripts:
        assert subprocess.run(["bash", "-n", script]).returncode == 0, script
        shown = subprocess.run(["bash", script, "--help"], capture_output=True, text=True)
        assert shown.returncode == 0 and shown.stdout.startswith("Usage: ./"), shown.stderr
    checked = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert not CANARY.exists()


def test_the_api_page_closes_every_fence(out: Path) -> None:
    lines = (out / "README.md").read_text().splitlines()
    opened: str | None = None
    for line in lines:
        if opened is None and line.startswith("```"):
            opened = line[: len(line) - len(line.lstrip("`"))]
        elif opened is not None and line == opened:
            opened = None
    assert opened is None
