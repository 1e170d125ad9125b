"""Writes a run's results: ``results.json`` (for the chart), ``results.md`` (the tables)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.stats import Results, Row, Stat, Target

ROOT = Path(__file__).resolve().parent.parent


def _version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "not found"
    return done.stdout.strip().splitlines()[0]


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine(bench_python: Path, load_at_start: tuple[float, float, float]) -> dict[str, str]:
    """What the numbers were taken on; the load shows whether the machine was shared."""

    def dist(name: str, python: Path = Path(sys.executable)) -> str:
        code = f"from importlib import metadata; print(metadata.version({name!r}))"
        return _version([str(python), "-c", code])

    gradio_js = json.loads(
        (ROOT / "tests/js/node_modules/@gradio/client/package.json").read_text()
    )["version"]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": _cpu(),
        "cores": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "node": _version(["node", "--version"]),
        "curl": _version(["curl", "--version"]).split(" (")[0],
        "bash": _version(["bash", "--version"]).split(" (")[0],
        "gradio": metadata.version("gradio"),
        "gradio_client": metadata.version("gradio_client"),
        "httpx": metadata.version("httpx"),
        "@gradio/client": gradio_js,
        "openapi-python-client": dist("openapi-python-client", bench_python),
        "datamodel-code-generator (compared)": dist("datamodel-code-generator", bench_python),
        "load average at start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in load_at_start),
        "load average at end (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _num(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def markdown(results: Results, targets: tuple[Target, ...], info: dict[str, str], argv: str) -> str:
    verdicts = [t.check(results) for t in targets]
    met = sum(v.met is True for v in verdicts)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{argv}`; see `NOTES.md` for what the misses are made of.",
        "Ratios are to the row's baseline in the same run (raw httpx, raw fetch, raw curl,",
        "or openapi-python-client for the generator); `p95` is toward the bad side, so for",
        "calls/s it is the rate 95% of rounds beat.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
        "",
        f"## Targets: {met} of {len(verdicts)} met",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for v in verdicts:
        mark = {True: "met", False: "**missed**", None: "not measured"}[v.met]
        lines.append(f"| {v.target} | {v.measured} | {mark} |")
    section = None
    for row in sorted(results.rows, key=lambda r: r.section):
        if row.section != section:
            section = row.section
            lines += [
                "",
                f"## {section}",
                "",
                "| case | tool | median | p95 | runs | ratio | ratio p95 | baseline |",
                "|---|---|---|---|---|---|---|---|",
            ]
        ratio, ratio95 = results.ratio(row), results.ratio(row, p95=True)
        lines.append(
            f"| {row.case} | {row.tool} | {_num(row.stat.median)} {row.unit} | "
            f"{_num(row.stat.p95)} | {row.stat.n} | "
            f"{'' if ratio is None else f'{ratio:.2f}x'} | "
            f"{'' if ratio95 is None else f'{ratio95:.2f}x'} | {row.baseline or ''} |"
        )
    return "\n".join(lines) + "\n"


def kept(out: Path, results: Results) -> Results:
    """The earlier run's rows for the sections this run left out, then this run's rows."""
    fresh = {r.section for r in results.rows}
    earlier = json.loads((out / "results.json").read_text())["rows"]
    rows = [
        Row(
            r["section"],
            r["case"],
            r["tool"],
            r["unit"],
            Stat(**r["stat"]),
            r["baseline"],
            r["higher_is_better"],
        )
        for r in earlier
        if r["section"] not in fresh
    ]
    return Results([*rows, *results.rows])


def write(
    out: Path,
    results: Results,
    targets: tuple[Target, ...],
    info: dict[str, str],
    argv: str,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows = [
        {**asdict(r), "ratio": results.ratio(r), "ratio_p95": results.ratio(r, p95=True)}
        for r in results.rows
    ]
    (out / "results.json").write_text(json.dumps({"machine": info, "rows": rows}, indent=1))
    (out / "results.md").write_text(markdown(results, targets, info, argv))
