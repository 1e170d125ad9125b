"""Formatting of rendered text, so that output is tidy and identical run to run."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion


def format_python(source: str) -> str:
    return black.format_str(source, mode=Mode(target_versions={TargetVersion.PY311}))


def tidy(text: str) -> str:
    """No trailing spaces, exactly one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
