"""Samples to medians, p95s, ratios and target verdicts: the pure part of the bench, unit-tested."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stat:
    median: float
    p95: float
    n: int


def summarize(samples: Sequence[float], higher_is_better: bool = False) -> Stat:
    """Median and the 95th percentile toward the bad side (the 5th for a rate), inclusive and
    interpolated, so that a few samples still give one."""
    if not samples:
        raise ValueError("no samples")
    if len(samples) == 1:
        return Stat(samples[0], samples[0], 1)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[0 if higher_is_better else 18]
    return Stat(statistics.median(samples), p95, len(samples))


@dataclass(frozen=True, slots=True)
class Row:
    """One tool in one case; ``baseline`` names the tool its ratio is taken against."""

    section: str
    case: str
    tool: str
    unit: str
    stat: Stat
    baseline: str | None = None
    higher_is_better: bool = False


class Results:
    """All rows of a run, looked up by (case, tool)."""

    def __init__(self, rows: Iterable[Row] = ()) -> None:
        self.rows: list[Row] = list(rows)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def get(self, case: str, tool: str) -> Row | None:
        return next((r for r in self.rows if r.case == case and r.tool == tool), None)

    def ratio(self, row: Row, p95: bool = False) -> float | None:
        """The row's value over its baseline's, same statistic; None without a baseline."""
        base = self.get(row.case, row.baseline) if row.baseline else None
        if base is None:
            return None
        mine, theirs = (row.stat.p95, base.stat.p95) if p95 else (row.stat.median, base.stat.median)
        return mine / theirs if theirs else None


@dataclass(frozen=True, slots=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: the rows it needs were not measured in this run


@dataclass(frozen=True, slots=True)
class Target:
    """A goal from the issue. ``kind``: ``max`` / ``min`` bound the value itself, ``ratio`` /
    ``min_ratio`` the ratio to the row's baseline, ``over`` the value minus ``other``'s,
    ``times`` the value as a multiple of ``other``'s."""

    label: str
    case: str
    tool: str
    kind: str
    limit: float
    p95: bool = False
    other: tuple[str, str] | None = None

    def check(self, results: Results) -> Verdict:
        row = results.get(self.case, self.tool)
        if row is None:
            return Verdict(self.label, "not measured", None)
        value = row.stat.p95 if self.p95 else row.stat.median
        if self.kind in ("ratio", "min_ratio"):
            ratio = results.ratio(row, self.p95)
            if ratio is None:
                return Verdict(self.label, "no baseline", None)
            met = ratio <= self.limit if self.kind == "ratio" else ratio >= self.limit
            return Verdict(self.label, f"{ratio:.2f}x", met)
        if self.kind in ("over", "times"):
            assert self.other is not None
            other = results.get(*self.other)
            if other is None:
                return Verdict(self.label, "not measured", None)
            base = other.stat.p95 if self.p95 else other.stat.median
            if self.kind == "times":
                return Verdict(self.label, f"{value / base:.2f}x", value / base <= self.limit)
            diff = value - base
            return Verdict(self.label, f"{diff:+.1f} {row.unit}", diff <= self.limit)
        met = value <= self.limit if self.kind == "max" else value >= self.limit
        return Verdict(self.label, f"{value:.3g} {row.unit}", met)
