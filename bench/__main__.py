"""``python -m bench``: every measurement in one run, then the tables and the chart.

``--quick`` takes a few runs of each, to check the harness; only a run with the default
counts belongs in ``bench/results/``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import coldstart, generator, node, pyclients, report, server, shell
from bench.counts import QUICK, Counts
from bench.env import child_env
from bench.stats import Results
from bench.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("generator", "python", "cold", "js", "curl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few runs of each (smoke run)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the rows of --out/results.json that this run does not measure again",
    )
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else Counts()
    started, load = time.monotonic(), os.getloadavg()
    bin_dir = generator.ensure_venv()
    results = Results()
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench_") as tmp:
        work = Path(tmp)
        outs = (
            generator.run(results, work / "generator", counts) if "generator" in args.only else {}
        )
        with server.serving(work / "server.log") as url:
            measure(results, url, work, counts, args.only, outs, failed)
    if args.keep:
        results = report.kept(args.out, results)
    info = report.machine(bin_dir / "python", load)
    info["whole bench run"] = f"{time.monotonic() - started:.0f} s"
    if failed:
        info["sections that failed (see the log)"] = ", ".join(failed)
    command = " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])])
    report.write(args.out, results, TARGETS, info, command.strip())
    subprocess.run(
        [str(bin_dir / "python"), str(ROOT / "bench" / "chart.py"), str(args.out)], check=True
    )
    verdicts = [t.check(results) for t in TARGETS]
    missed = [v for v in verdicts if v.met is False]
    print(
        f"{len(verdicts) - len(missed)} of {len(verdicts)} targets met or not measured; "
        f"results in {args.out} ({info['whole bench run']})"
    )
    for v in missed:
        print(f"  missed: {v.target}: {v.measured}")
    return 0


def measure(
    results: Results,
    url: str,
    work: Path,
    counts: Counts,
    only: list[str],
    outs: dict[str, Path],
    failed: list[str],
) -> None:
    """Sections 1 to 4 against the live app, with a client generated from it."""
    client = work / "client"
    gen = str(Path(sys.executable).parent / "gradio-codegen")
    subprocess.run(
        [gen, url, "-o", str(client), "--name", "bench_app"],
        check=True,
        env=child_env(),
        stdout=subprocess.DEVNULL,
    )
    image = pyclients.make_image(work)
    big = (outs[generator.GEN] / "python", "synthetic_200") if outs else None

    def cold() -> None:
        coldstart.run(results, url, client / "python", "bench_app", counts, big)
        if outs:
            generator.opc_import(results, outs[generator.OPC], counts.cold)

    sections: dict[str, Callable[[], None]] = {
        "python": lambda: pyclients.run(
            results, url, client / "python", "bench_app", image, counts
        ),
        "cold": cold,
        "js": lambda: node.run(results, url, client / "js", image, counts),
        "curl": lambda: shell.run(results, url, client / "curl", image, counts),
    }
    for name, section in sections.items():
        if name in only:
            try:
                section()
            except Exception as exc:  # one broken section must not lose the others' numbers
                print(f"section {name} failed: {exc}", file=sys.stderr)
                failed.append(name)


if __name__ == "__main__":
    sys.exit(main())
