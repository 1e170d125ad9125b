"""Section 4 for curl: a generated script against the raw two-step curl, one process each."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from bench.counts import Counts
from bench.env import child_env
from bench.stats import Results, Row, summarize

RAW_SCRIPT = Path(__file__).resolve().parent / "raw_call.sh"
SECTION = "4 curl"
GEN = "generated script"
RAW = "raw two-step curl"


def _ms(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


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
