"""Section 5: the generator as a whole process, next to openapi-python-client and
datamodel-code-generator on the same schemas, plus ``--help`` start-up and output size;
then ours alone at 2,000 endpoints (time and peak memory) and on a folder that is already up
to date (``regen DIR``, ``regen DIR --check``), next to reading that folder's schemas.

The alternatives run from ``bench/.venv``, with its ``bin`` first on PATH so that
openapi-python-client's ruff post-hook runs as it does for its users. Peak memory is the
``%M`` of ``/usr/bin/time``, the generator's own high-water mark: ``ru_maxrss`` as this
process sees it starts from this process's size (see ``bench/cold.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import synth
from bench.counts import Counts
from bench.env import child_env
from bench.stats import Results, Row, summarize
from tests.paths import CORPUS, SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venv"
REQUIREMENTS = ROOT / "bench" / "requirements.txt"
SECTION = "5 generator"
GEN = "gradio-codegen"
OPC = "openapi-python-client"
DMCG = "datamodel-code-generator"
BASE_URL = "http://127.0.0.1:7860"
TIME = "/usr/bin/time"
READ = "reading the folder's schemas"
# what an up-to-date folder costs to check against: the generator's own reading of the lock
# and the saved schemas, in a fresh process, with nothing generated
READ_CODE = (
    "import sys; from pathlib import Path; from codegen.pipeline import from_folder; "
    "from_folder(Path(sys.argv[1]))"
)


def ensure_venv() -> Path:
    """Creates or updates bench/.venv from bench/requirements.txt; returns its bin folder."""
    bin_dir = VENV / "bin"
    stamp = VENV / ".requirements"
    wanted = REQUIREMENTS.read_text()
    if not (bin_dir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    if not stamp.exists() or stamp.read_text() != wanted:
        pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True, env=child_env())
        stamp.write_text(wanted)
    return bin_dir


def largest_capture() -> Path:
    """The corpus's largest openapi.json, by bytes."""
    return max(CORPUS.glob("gradio-*/*/openapi.json"), key=lambda p: (p.stat().st_size, str(p)))


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def _python_lines(folder: Path) -> float:
    return float(sum(len(p.read_text().splitlines()) for p in folder.rglob("*.py")))


def commands(
    schema: Path, work: Path, bin_dir: Path, name: str
) -> dict[str, tuple[list[str], Path]]:
    """Each tool's command line for ``schema`` and the folder it writes to."""
    fixed = work / "repaired" / "openapi.json"
    fixed.parent.mkdir(parents=True, exist_ok=True)
    fixed.write_text(json.dumps(synth.repaired(json.loads(schema.read_text()), name)))
    ours, opc, dmcg = work / "ours", work / "opc", work / "dmcg"
    gen = str(Path(sys.executable).parent / "gradio-codegen")
    opc_cmd = [str(bin_dir / "openapi-python-client"), "generate", "--path", str(fixed)]
    dmcg_cmd = [str(bin_dir / "datamodel-codegen"), "--input", str(fixed), "--output"]
    scopes = ["--input-file-type", "openapi", "--openapi-scopes", "schemas", "paths"]
    return {
        GEN: ([gen, str(schema), "-o", str(ours), "--base-url", BASE_URL, "--name", name], ours),
        OPC: ([*opc_cmd, "--output-path", str(opc), "--overwrite"], opc),
        DMCG: ([*dmcg_cmd, str(dmcg / "models.py"), *scopes], dmcg),
    }


def run_case(
    results: Results, case: str, schema: Path, work: Path, bin_dir: Path, name: str, runs: int
) -> dict[str, Path]:
    """Times every tool on ``schema`` (one warm-up each, then interleaved rounds)."""
    env = child_env()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    tools = commands(schema, work, bin_dir, name)

    def once(tool: str) -> float:
        cmd, out = tools[tool]
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        return _timed(cmd, env)

    samples: dict[str, list[float]] = {tool: [] for tool in tools}
    for tool in tools:
        once(tool)
    names = list(tools)
    for i in range(runs):
        for tool in names[i % 3 :] + names[: i % 3]:
            samples[tool].append(once(tool))
    for tool, values in samples.items():
        base = OPC if tool != OPC else None
        results.add(Row(SECTION, f"{case}: whole process", tool, "ms", summarize(values), base))
        lines = summarize([_python_lines(tools[tool][1])])
        results.add(Row(SECTION, f"{case}: Python lines written", tool, "lines", lines, base))
    return {tool: out for tool, (_, out) in tools.items()}


def startup(results: Results, bin_dir: Path, runs: int) -> None:
    env = child_env()
    gen = str(Path(sys.executable).parent / "gradio-codegen")
    tools = {GEN: [gen, "--help"], OPC: [str(bin_dir / "openapi-python-client"), "--help"]}
    samples = {tool: [_timed(cmd, env) for _ in range(runs + 1)][1:] for tool, cmd in tools.items()}
    for tool, values in samples.items():
        base = OPC if tool != OPC else None
        results.add(Row(SECTION, "--help", tool, "ms", summarize(values), base))


IMPORT_ALL = """
import importlib, pkgutil, sys, time
sys.path.insert(0, sys.argv[1])
start = time.perf_counter()
package = importlib.import_module(sys.argv[2])
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
print((time.perf_counter() - start) * 1000)
"""


def import_all_ms(python: Path, folder: Path, package: str) -> float:
    """Import time of a generated package with every submodule, in a fresh process."""
    cmd = [str(python), "-c", IMPORT_ALL, str(folder), package]
    done = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=True)
    return float(done.stdout.strip())


def run(results: Results, work: Path, counts: Counts) -> dict[str, Path]:
    """Runs the section; returns each tool's output folder for the 200-endpoint schema."""
    bin_dir = ensure_venv()
    startup(results, bin_dir, max(counts.generator * 4, 3))
    small = SCHEMAS / "hello_world" / "openapi.json"
    runs = counts.generator
    run_case(results, "small app (hello_world)", small, work / "small", bin_dir, "hello", runs)
    big = synth.write(work / "schema200", 200)
    outs = run_case(results, "200 endpoints", big, work / "e200", bin_dir, "synthetic_200", runs)
    largest = largest_capture()
    label = f"largest capture ({largest.parent.parent.name}/{largest.parent.name})"
    run_case(results, label, largest, work / "largest", bin_dir, "largest", runs)
    at_scale(results, synth.write(work / "schema2000", 2000), work / "e2000", runs)
    unchanged(results, outs[GEN], runs)
    return outs


def _timed_peak(cmd: list[str], env: dict[str, str], report: Path) -> tuple[float, float]:
    """Wall ms and peak MiB of one run of ``cmd``, measured by /usr/bin/time."""
    elapsed = _timed([TIME, "-f", "%M", "-o", str(report), *cmd], env)
    return elapsed, int(report.read_text().split()[-1]) / 1024


def at_scale(results: Results, schema: Path, out: Path, runs: int) -> None:
    """Ours alone on 2,000 endpoints: the others take minutes there (5 s at 200 already)."""
    gen = str(Path(sys.executable).parent / "gradio-codegen")
    cmd = [gen, str(schema), "-o", str(out), "--base-url", BASE_URL, "--name", "synthetic_2000"]
    env = child_env()
    samples = []
    for _ in range(runs + 1):  # the first warms the caches
        shutil.rmtree(out, ignore_errors=True)
        samples.append(_timed_peak(cmd, env, out.parent / "time.txt"))
    ms, mib = zip(*samples[1:], strict=True)
    case = "2,000 endpoints"
    results.add(Row(SECTION, f"{case}: whole process", GEN, "ms", summarize(ms)))
    results.add(Row(SECTION, f"{case}: peak memory", GEN, "MiB", summarize(mib)))
    lines = summarize([_python_lines(out)])
    results.add(Row(SECTION, f"{case}: Python lines written", GEN, "lines", lines))


def unchanged(results: Results, folder: Path, runs: int) -> None:
    """``regen`` and ``regen --check`` on the 200-endpoint folder just generated, each
    against reading that folder's lock and schemas (the least such a run must do); then
    ``--check`` on a copy whose lock another generator build sealed, which renders it all."""
    gen = str(Path(sys.executable).parent / "gradio-codegen")
    other = folder.parent / f"{folder.name}-other-build"
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(folder, other, symlinks=True)
    lock = other / "gradio-codegen.lock"
    doc = json.loads(lock.read_text(encoding="utf-8"))
    doc["generator"]["seal"] = "another build's seal"
    lock.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tools = {
        "gradio-codegen regen --check": [gen, "regen", str(folder), "--check"],
        "gradio-codegen regen": [gen, "regen", str(folder)],
        "gradio-codegen regen --check, another build": [gen, "regen", str(other), "--check"],
        READ: [sys.executable, "-c", READ_CODE, str(folder)],
    }
    env = child_env()
    samples: dict[str, list[float]] = {tool: [] for tool in tools}
    for cmd in tools.values():  # one warm-up each
        _timed(cmd, env)
    names = list(tools)
    for i in range(runs):
        for tool in names[i % len(names) :] + names[: i % len(names)]:
            samples[tool].append(_timed(tools[tool], env))
    case = "200 endpoints, folder up to date"
    for tool, values in samples.items():
        base = READ if tool != READ else None
        results.add(Row(SECTION, case, tool, "ms", summarize(values), base))


def opc_import(results: Results, opc_out: Path, runs: int) -> None:
    """openapi-python-client's 200-endpoint package, every module imported (section 2)."""
    package = next(p.parent for p in opc_out.glob("*/__init__.py"))
    python = VENV / "bin" / "python"
    values = [import_all_ms(python, package.parent, package.name) for _ in range(runs + 1)]
    name = f"{OPC} output, 200 endpoints"
    stat = summarize(values[1:])
    results.add(Row("2 cold start", "import time", name, "ms", stat, "httpx alone"))
