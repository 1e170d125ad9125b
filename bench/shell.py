"""Section 4 for curl: a generated script against the raw two-step curl, one process each.

Beside the time of each call, the processes it starts (bash itself, each subshell, each
curl), counted under ``strace -f``: on a shared machine the count is exact where the time is not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.counts import Counts
from bench.env import child_env
from bench.stats import Results, Row, summarize

RAW_SCRIPT = Path(__file__).resolve().parent / "raw_call.sh"
SECTION = "4 curl"
GEN = "generated script"
RAW = "raw two-step curl"
PROCESSES = "processes started"

# a new process (not a thread) in strace's -f output: fork, vfork, or clone without CLONE_THREAD
_SPAWN = re.compile(r"^\d+\s+(?:v?fork\(|clone3?\((?![^\n]*CLONE_THREAD))", re.MULTILINE)


def _ms(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def spawned(trace: str) -> int:
    """The processes an ``strace -f -e trace=process`` log shows: the first one and each it made."""
    return 1 + len(_SPAWN.findall(trace))


def processes(cmd: list[str], env: dict[str, str]) -> int | None:
    """How many processes one run of ``cmd`` starts; None without strace."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as log:
        subprocess.run(
            [strace, "-f", "-qq", "-e", "trace=process", "-o", log.name, *cmd],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        return spawned(Path(log.name).read_text())


def run(results: Results, url: str, gen_curl: Path, image: Path, counts: Counts) -> None:
    env = child_env(GRADIO_URL=url)
    cases = {
        "curl: per call": {
            GEN: ["bash", str(gen_curl / "echo.sh"), "text=hi"],
            RAW: ["bash", str(RAW_SCRIPT), url, "echo", '["hi"]'],
        },
        "curl: image upload + call": {
            GEN: ["bash", str(gen_curl / "mirror.sh"), f"image=@{image}"],
            RAW: ["bash", str(RAW_SCRIPT), url, "mirror", '["@file"]', str(image)],
        },
    }
    for case, tools in cases.items():
        samples: dict[str, list[float]] = {tool: [] for tool in tools}
        for cmd in tools.values():
            _ms(cmd, env)
        for i in range(counts.curl_calls):
            for tool in list(tools)[:: 1 if i % 2 else -1]:
                samples[tool].append(_ms(tools[tool], env))
        for tool, values in samples.items():
            base = RAW if tool != RAW else None
            results.add(Row(SECTION, case, tool, "ms", summarize(values), base))
        for tool, cmd in tools.items():
            started = processes(cmd, env)
            if started is not None:
                base = RAW if tool != RAW else None
                stat = summarize([float(started)])
                results.add(Row(SECTION, f"{case}: {PROCESSES}", tool, "processes", stat, base))
