"""The Markdown report of a run for a CI job's summary page (``--summary FILE``).

Per folder: up to date, written, or out of date with its diff and the table of API
changes; then every error line, as the terminal showed it. The file is appended to, as
GitHub's ``$GITHUB_STEP_SUMMARY`` wants; nothing is written when no path was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from codegen.apidiff import as_markdown
from codegen.pipeline import Check

DIFF_LINES = 400  # a summary page holds 1 MiB; the log has the rest


@dataclass
class Summary:
    path: Path | None
    title: str
    sections: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def checked(self, folder: Path, result: Check, headline: str) -> None:
        if not result.diff:
            self.sections.append(f"- `{folder}`: {headline}")
            return
        lines = [line for diff in result.diff.values() for line in diff]
        shown = lines[:DIFF_LINES]
        if len(lines) > len(shown):
            shown.append(f"... {len(lines) - len(shown)} more diff lines (see the job's log)")
        self.sections.append(
            "\n".join(
                [
                    f"### `{folder}`: {headline}",
                    "",
                    "To update: run the same command without `--check` and commit the result.",
                    "",
                    _fenced("diff", shown),
                    "",
                    as_markdown(result.changes).replace("### API changes", "#### API changes"),
                ]
            )
        )

    def note(self, line: str) -> None:
        self.sections.append(f"- {line}")

    def error(self, line: str) -> None:
        self.errors.append(line)

    def write(self) -> None:
        if self.path is None or not (self.sections or self.errors):
            return
        parts = [f"## {self.title}", "", *self.sections]
        if self.errors:
            parts += ["", "### Errors", "", _fenced("text", self.errors)]
        with self.path.open("a", encoding="utf-8") as out:
            out.write("\n".join(parts).rstrip("\n") + "\n\n")


def _fenced(language: str, lines: list[str]) -> str:
    """A code block whose fence no line can close (a diff may hold backticks)."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}{language}", *lines, fence])
