"""Section 4: runs ``bench/js/bench.mjs`` under node and turns its samples into rows."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from bench.counts import Counts
from bench.env import child_env
from bench.stats import Results, Row, summarize

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "js" / "bench.mjs"
JS_TESTS = ROOT / "tests" / "js"
SECTION = "4 JS under node"
RAW = "raw fetch"


def ensure_node_modules() -> None:
    """@gradio/client comes from tests/js's lock file, as the tests install it."""
    if not (JS_TESTS / "node_modules" / "@gradio" / "client").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS_TESTS, check=True)


def run(results: Results, url: str, gen_js: Path, image: Path, counts: Counts) -> None:
    ensure_node_modules()
    args = [str(gen_js / "index.js"), str(JS_TESTS), str(image)]
    cmd = ["node", str(SCRIPT), url, *args, json.dumps(dataclasses.asdict(counts))]
    done = subprocess.run(cmd, capture_output=True, text=True, env=child_env())
    if done.returncode != 0:
        raise RuntimeError(f"bench.mjs failed:\n{done.stderr[-3000:]}")
    sys.stderr.write(done.stderr)  # the calls that failed, if any
    for case, samples in json.loads(done.stdout.strip().splitlines()[-1]).items():
        unit = "requests" if case.startswith("requests") else "ms"
        unit = "calls" if case == "failed calls" else unit
        unit = "calls/s" if "throughput" in case else unit
        for tool, values in samples.items():
            base = RAW if RAW in samples and tool != RAW else None
            rate = unit == "calls/s"
            stat = summarize(values, rate)
            results.add(Row(SECTION, f"node: {case}", tool, unit, stat, base, rate))
