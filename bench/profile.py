"""``python -m bench.profile``: the profiles behind ``bench/results/NOTES.md``.

pyinstrument (from ``bench/.venv``) records the generator on the small app and on 200
endpoints, with the project's own packages on its path. The rest are experiments that time
a proposed fix against what is there: black against ``ruff format`` on the 200-endpoint
client, the first and second datamodel-code-generator call, the generated package's
imports, and one call of a curl script beside the raw two-step (time and processes started).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import shell, synth
from bench.env import child_env
from bench.generator import BASE_URL, ensure_venv
from bench.server import serving
from tests.paths import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "profiles"


def generator_profile(bin_dir: Path, schema: Path, out: Path, name: str) -> None:
    site = next(Path(sys.prefix).glob("lib/python3*/site-packages"))
    env = child_env(PYTHONPATH=f"{ROOT}:{site}")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(bin_dir / "python"), "-m", "pyinstrument", "-o", str(OUT / name)]
        args = ["-m", "codegen", str(schema), "-o", tmp, "--base-url", BASE_URL]
        subprocess.run([*cmd, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def curl_profile(runs: int = 30) -> str:
    """One trivial call of the generated echo.sh beside the raw two-step: the processes each
    starts (strace -f) and the median ms."""
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp) / "server.log") as url:
        gen = str(Path(sys.executable).parent / "gradio-codegen")
        subprocess.run([gen, url, "-o", f"{tmp}/client"], check=True, stdout=subprocess.DEVNULL)
        cmds = {
            "generated echo.sh": ["bash", f"{tmp}/client/curl/echo.sh", "text=hi"],
            "raw two-step curl": [
                "bash",
                str(ROOT / "bench" / "raw_call.sh"),
                url,
                "echo",
                '["hi"]',
            ],
        }
        env = child_env(GRADIO_URL=url)
        started = {name: shell.processes(cmd, env) for name, cmd in cmds.items()}
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, cmd in cmds.items():
                start = time.perf_counter()
                subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
                times[name].append((time.perf_counter() - start) * 1000)
    return "\n".join(
        f"{name}: {statistics.median(v):.1f} ms, {started[name] or 'unknown (no strace)'} processes"
        for name, v in times.items()
    )


FORMAT = """
import subprocess, sys, time
from dataclasses import replace
import black as black_
from codegen.parse import parse
from codegen.render import render
from codegen.source import read_source
from codegen.targets import python
app = parse(replace(read_source(sys.argv[1], None), origin="http://127.0.0.1:1"))
source = render("python/client.py.jinja", python.build(app, None))
start = time.perf_counter()
black = black_.format_str(source, mode=black_.Mode())
mid = time.perf_counter()
ruff = subprocess.run(
    [sys.argv[2], "format", "--isolated", "--line-length", "88", "--target-version", "py311", "-"],
    input=source, capture_output=True, text=True, check=True,
).stdout
end = time.perf_counter()
print(f"client.py, {len(source.splitlines())} lines: black {mid - start:.2f} s, "
      f"ruff format {end - mid:.3f} s, identical output: {black == ruff}")
"""

TYPED_DICTS = """
import time
start = time.perf_counter()
from codegen.pymodels import typed_dicts
typed_dicts((), {})
mid = time.perf_counter()
typed_dicts((), {})
end = time.perf_counter()
first, second = (mid - start) * 1000, (end - mid) * 1000
print(f"typed_dicts for an app without object schemas: first call (imports "
      f"datamodel-code-generator) {first:.0f} ms, second {second:.0f} ms")
"""


def experiment(code: str, *args: str) -> str:
    cmd = [sys.executable, "-c", code, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=child_env())
    return done.stdout.strip()


def import_breakdown(python_dir: Path, package: str) -> str:
    """The generated package's own imports beyond httpx, largest first (-X importtime)."""
    code = f"import httpx; import {package}"
    env = child_env(PYTHONPATH=str(python_dir))
    cmd = [sys.executable, "-X", "importtime", "-c", code]
    for _ in range(2):  # the first run writes the bytecode
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    lines = done.stderr.splitlines()
    after = lines[next(i for i, x in enumerate(lines) if x.rstrip().endswith("| httpx")) + 1 :]
    top = sorted(after, key=lambda x: -int(x.split("|")[1]))[:8]
    return "\n".join(
        ["-X importtime after `import httpx` (self us | cumulative us | module):", *top]
    )


def main() -> None:
    bin_dir = ensure_venv()
    OUT.mkdir(parents=True, exist_ok=True)
    ruff = str(Path(sys.executable).parent / "ruff")
    with tempfile.TemporaryDirectory() as tmp:
        big = synth.write(Path(tmp), 200)
        generator_profile(bin_dir, big, OUT, "generator-200-endpoints.txt")
        formatting = experiment(FORMAT, str(big), ruff)
        gen = str(Path(sys.executable).parent / "gradio-codegen")
        out = Path(tmp) / "client"
        args = [gen, str(big), "-o", str(out), "--base-url", BASE_URL, "--name", "synthetic_200"]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=child_env())
        imports = import_breakdown(out / "python", "synthetic_200")
    small = SCHEMAS / "hello_world" / "openapi.json"
    generator_profile(bin_dir, small, OUT, "generator-hello-world.txt")
    findings = [formatting, experiment(TYPED_DICTS), imports, curl_profile()]
    (OUT / "experiments.txt").write_text("\n\n".join(findings) + "\n")


if __name__ == "__main__":
    main()
