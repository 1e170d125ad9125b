"""``python -m bench.profile``: the profiles behind ``bench/results/NOTES.md``.

pyinstrument (from ``bench/.venv``) records the generator on the small app and on 200
endpoints, with the project's own packages on its path; the curl script is profiled by
experiment, timing it against a copy whose JSON-escaping loop forks no subshell.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import synth
from bench.env import child_env
from bench.generator import BASE_URL, ensure_venv
from bench.server import serving

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "profiles"
FORKING = "printf -v c '%b' \"\\\\x$(printf '%02x' \"$i\")\""
NOT_FORKING = "printf -v c '%02x' \"$i\"\n    printf -v c '%b' \"\\\\x$c\""


def generator_profile(bin_dir: Path, schema: Path, out: Path, name: str) -> None:
    site = next(Path(sys.prefix).glob("lib/python3*/site-packages"))
    env = child_env(PYTHONPATH=f"{ROOT}:{site}")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(bin_dir / "python"), "-m", "pyinstrument", "-o", str(OUT / name)]
        args = ["-m", "codegen", str(schema), "-o", tmp, "--base-url", BASE_URL]
        subprocess.run([*cmd, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def curl_experiment(runs: int = 30) -> str:
    """Median ms of the generated echo.sh, of its fork-free copy, and of the raw two-step."""
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp) / "server.log") as url:
        gen = str(Path(sys.executable).parent / "gradio-codegen")
        subprocess.run([gen, url, "-o", f"{tmp}/client"], check=True, stdout=subprocess.DEVNULL)
        script = Path(tmp) / "client" / "curl" / "echo.sh"
        source = script.read_text()
        if FORKING not in source:
            return "the generated script no longer has the forking loop"
        fixed = Path(tmp) / "echo_fixed.sh"
        fixed.write_text(source.replace(FORKING, NOT_FORKING))
        raw = ROOT / "bench" / "raw_call.sh"
        cmds = {
            "generated echo.sh": ["bash", str(script), "text=hi"],
            "echo.sh, json_string without $(printf)": ["bash", str(fixed), "text=hi"],
            "raw two-step curl": ["bash", str(raw), url, "echo", '["hi"]'],
        }
        env = child_env(GRADIO_URL=url)
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, cmd in cmds.items():
                start = time.perf_counter()
                subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
                times[name].append((time.perf_counter() - start) * 1000)
    return "\n".join(f"{name}: {statistics.median(v):.1f} ms" for name, v in times.items())


def main() -> None:
    bin_dir = ensure_venv()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        big = synth.write(Path(tmp), 200)
        generator_profile(bin_dir, big, OUT, "generator-200-endpoints.txt")
    small = ROOT / "fixtures" / "openapi" / "hello_world" / "openapi.json"
    generator_profile(bin_dir, small, OUT, "generator-hello-world.txt")
    (OUT / "curl-echo.txt").write_text(curl_experiment() + "\n")


if __name__ == "__main__":
    main()
