"""What the tests compare of an output folder."""

from __future__ import annotations

from pathlib import Path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, with its bytes: what a run that must
    change nothing (a failure, an up-to-date folder) leaves as it was."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
