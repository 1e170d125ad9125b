"""Section 2: a new process per run that imports, constructs and makes one call.

The whole process is timed from outside (interpreter start-up included, as a user's script
pays it); import time and peak memory come from inside.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.counts import Counts
from bench.env import child_env
from bench.pyclients import GEN, OFFICIAL, RAW
from bench.stats import Results, Row, summarize

COLD = Path(__file__).resolve().parent / "cold.py"
ROOT = COLD.parent.parent
SECTION = "2 cold start"


def _once(args: list[str]) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(COLD), *args],
        capture_output=True,
        text=True,
        env=child_env(),
        check=True,
    )
    wall = time.perf_counter() - start
    return wall * 1000, json.loads(done.stdout.strip().splitlines()[-1])


def run(
    results: Results,
    url: str,
    gen_python: Path,
    package: str,
    counts: Counts,
    big: tuple[Path, str] | None = None,
) -> None:
    """``big`` is the 200-endpoint client (folder, package), whose import is timed too."""
    tools: dict[str, list[str]] = {
        GEN: [GEN, url, str(gen_python), package],
        OFFICIAL: [OFFICIAL, url],
        RAW: [RAW, url, str(ROOT)],
        "httpx alone": ["import httpx", url],
    }
    if big is not None:
        tools["generated, 200 endpoints"] = ["import only", url, str(big[0]), big[1]]
    walls: dict[str, list[float]] = {name: [] for name in tools}
    imports: dict[str, list[float]] = {name: [] for name in tools}
    peaks: dict[str, list[float]] = {name: [] for name in tools}
    first_calls: dict[str, list[float]] = {name: [] for name in tools}
    names = list(tools)
    for i in range(counts.cold):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            wall, inside = _once(tools[name])
            walls[name].append(wall)
            imports[name].append(inside["import"] * 1000)
            peaks[name].append(inside["peak_mib"])
            first_calls[name].append(inside["call"] * 1000)
    calls = (GEN, OFFICIAL, RAW)
    for name in calls:
        base = RAW if name != RAW else None
        wall = summarize(walls[name])
        results.add(Row(SECTION, "process: import + construct + 1 call", name, "ms", wall, base))
        results.add(Row(SECTION, "peak memory", name, "MiB", summarize(peaks[name]), base))
        first = summarize(first_calls[name])
        results.add(Row(SECTION, "first call in the new process", name, "ms", first, base))
    for name in names:
        base = "httpx alone" if name != "httpx alone" else None
        results.add(Row(SECTION, "import time", name, "ms", summarize(imports[name]), base))
