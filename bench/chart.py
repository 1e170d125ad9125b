"""Draws ``results.json`` as ``chart.png``: each tool's ratio to its baseline, per section.

Run by the bench with ``bench/.venv``'s Python, which has matplotlib (the project's does not).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib.pyplot as plt


def main(folder: Path) -> None:
    rows = [r for r in json.loads((folder / "results.json").read_text())["rows"] if r["ratio"]]
    sections = list(dict.fromkeys(r["section"] for r in rows))
    if not rows:  # a run of sections without baselines has nothing to draw
        (folder / "chart.png").unlink(missing_ok=True)
        return
    heights = [len([r for r in rows if r["section"] == s]) for s in sections]
    # squeeze=False: one section gives a 1x1 grid of axes, not a lone Axes
    fig, axes = plt.subplots(
        len(sections),
        1,
        figsize=(10, 0.32 * sum(heights) + 1.2 * len(sections)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, section in zip(axes[:, 0], sections, strict=True):
        mine = [r for r in rows if r["section"] == section][::-1]
        labels = [f"{r['case']} | {r['tool']}" for r in mine]
        ratios = [r["ratio"] for r in mine]
        good = [
            (x >= 1) if r["higher_is_better"] else (x <= 1)
            for r, x in zip(mine, ratios, strict=True)
        ]
        ax.barh(labels, ratios, color=["#4c9a5f" if g else "#c0504d" for g in good])
        ax.axvline(1, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_title(f"{section}: ratio to baseline (green: better than baseline)", fontsize=9)
        ax.tick_params(labelsize=7)
        for y, x in enumerate(ratios):
            ax.text(x, y, f" {x:.2f}x", va="center", fontsize=6)
    fig.tight_layout()
    fig.savefig(folder / "chart.png", dpi=110)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
