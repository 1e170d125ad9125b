"""Publishing planned files under the output folder, all or nothing.

Each generated subtree (``python/``) is built in a staging folder beside the target and then
swapped in, so a failed run leaves the old output as it was. Files outside the subtrees the
generator owns are never touched. Nothing here renders or parses.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codegen.errors import OutputError


@dataclass(frozen=True, slots=True)
class PlannedFile:
    relpath: PurePosixPath
    text: str
    executable: bool = False


def check_paths(files: Sequence[PlannedFile]) -> None:
    """Every path must stay inside the output folder: relative, no ``..``, no repeats."""
    seen: set[PurePosixPath] = set()
    for f in files:
        parts = f.relpath.parts
        if f.relpath.is_absolute() or not parts or ".." in parts or "\\" in str(f.relpath):
            raise OutputError(f"refusing to write {str(f.relpath)!r}: it leaves the output folder")
        if f.relpath in seen:
            raise OutputError(f"two generated files share the path {f.relpath}")
        seen.add(f.relpath)


def write(out_dir: Path, files: Sequence[PlannedFile]) -> None:
    check_paths(files)
    roots = sorted({f.relpath.parts[0] for f in files})
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".gradio-codegen-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror}", "check the path") from exc
    try:
        for f in files:
            target = staging.joinpath(*f.relpath.parts)
            if not target.resolve().is_relative_to(staging.resolve()):
                raise OutputError(f"refusing to write {f.relpath}: it leaves the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.text, encoding="utf-8", newline="\n")
            if f.executable:
                target.chmod(0o755)
        _swap(out_dir, staging, roots)
    except BaseException as exc:
        shutil.rmtree(out_dir if created else staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write to {out_dir}: {exc}", "check permissions and space"
            ) from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _swap(out_dir: Path, staging: Path, roots: Sequence[str]) -> None:
    """Moves each staged root into place; the old one is kept aside until all have moved."""
    backups: list[tuple[Path, Path]] = []
    moved: list[Path] = []
    try:
        for root in roots:
            live = out_dir / root
            if live.exists() or live.is_symlink():
                backup = staging / f".old-{root}"
                os.replace(live, backup)
                backups.append((live, backup))
            os.replace(staging / root, live)
            moved.append(live)
    except OSError:
        for live in moved:
            if live.is_dir():
                shutil.rmtree(live, ignore_errors=True)
            else:
                live.unlink(missing_ok=True)
        for live, backup in backups:
            os.replace(backup, live)
        raise
