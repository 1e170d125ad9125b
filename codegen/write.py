"""Publishing planned files under the output folder, all or nothing, and comparing with it.

Every file is first written into a staging folder inside the output folder (so moves stay on
one file system), then moved into place one by one; what it replaces is moved aside, and any
failure moves everything back. Only the planned paths and the stale ones the previous run
wrote (``owned``, from its lock) are touched: the user's own files stay, even inside the
generated subfolders. Nothing here renders or parses.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codegen.errors import OutputError, UnownedFolderError

STAGING_PREFIX = ".gradio-codegen-"


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


def refuse_unowned(out_dir: Path, lock_name: str) -> None:
    """A folder that holds anything but no lock was not written by gradio-codegen: its files
    are someone's own (a project's README.md, an openapi.json), so nothing is written there."""
    try:
        names = sorted(p.name for p in out_dir.iterdir())
    except OSError:  # absent (a run creates it) or no folder (the write says so)
        return
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise UnownedFolderError(
            f"{out_dir} is not empty ({shown}) and holds no {lock_name}, so gradio-codegen "
            "did not write it; nothing was written",
            "pick a new or empty folder, or pass --overwrite to write over the planned paths",
        )


def write(
    out_dir: Path, files: Sequence[PlannedFile], owned: Collection[PurePosixPath] | None = None
) -> None:
    """Publishes ``files``; deletes what ``owned`` lists and the plan no longer has.

    ``owned`` is None when the folder has no lock: then the planned paths are simply
    written. With a lock, a file the lock does not list is the user's, and is never replaced.
    """
    check_paths(files)
    planned = {f.relpath for f in files}
    stale = sorted(p for p in owned or () if p not in planned)
    check_paths([PlannedFile(p, "") for p in stale])
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror}", "check the path") from exc
    publish = _Publish(out_dir, staging)
    try:
        for f in files:
            publish.stage(f)
        for f in files:
            publish.guard(f, owned)
        for f in files:
            publish.place(f.relpath)
        for rel in stale:
            publish.remove(rel)
    except BaseException as exc:
        if not publish.undo():
            raise OutputError(
                f"cannot write to {out_dir}, nor put its old files back: {exc}",
                f"the old files are in {staging / 'old'}; move them back by hand",
            ) from exc
        shutil.rmtree(out_dir if created else staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write to {out_dir}: {exc}", "check permissions and space"
            ) from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)
    publish.prune(stale)


class _Publish:
    """One run's moves, journaled so that ``undo`` restores the folder as it was."""

    def __init__(self, out_dir: Path, staging: Path) -> None:
        self.out_dir = out_dir
        self.new = staging / "new"
        self.old = staging / "old"
        self.journal: list[tuple[Path, Path | None]] = []  # (live path, its moved-aside copy)
        self.made: list[Path] = []  # folders this run created

    def stage(self, f: PlannedFile) -> None:
        target = self.new.joinpath(*f.relpath.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text, encoding="utf-8", newline="\n")
        if f.executable:
            target.chmod(0o755)

    def guard(self, f: PlannedFile, owned: Collection[PurePosixPath] | None) -> None:
        """Refuses before anything moves: links or files where folders go, user files."""
        here = self.out_dir
        for part in f.relpath.parts[:-1]:
            here = here / part
            if here.is_symlink() or (here.exists() and not here.is_dir()):
                raise OutputError(
                    f"cannot write {f.relpath}: {here} is a link or a file, not a folder",
                    "gradio-codegen writes only inside the output folder; replace it with a folder",
                )
        live = self.out_dir.joinpath(*f.relpath.parts)
        if live.is_dir() and not live.is_symlink():
            raise OutputError(
                f"cannot write {f.relpath}: a folder is in the way", "move that folder away"
            )
        if owned is not None and f.relpath not in owned and _differs(live, f.text):
            raise OutputError(
                f"{f.relpath} exists and gradio-codegen.lock does not list it",
                "it looks like your own file: move it away, gradio-codegen never overwrites it",
            )

    def place(self, rel: PurePosixPath) -> None:
        live = self.out_dir.joinpath(*rel.parts)
        self._mkdirs(live.parent)
        self._aside(live, rel)
        os.replace(self.new.joinpath(*rel.parts), live)

    def remove(self, rel: PurePosixPath) -> None:
        live = self.out_dir.joinpath(*rel.parts)
        if live.is_file() or live.is_symlink():
            self._aside(live, rel)

    def _aside(self, live: Path, rel: PurePosixPath) -> None:
        backup = None
        if live.exists() or live.is_symlink():
            backup = self.old.joinpath(*rel.parts)
            backup.parent.mkdir(parents=True, exist_ok=True)
            os.replace(live, backup)
        self.journal.append((live, backup))

    def _mkdirs(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.made.append(path)

    def undo(self) -> bool:
        """Puts every moved file back; False when some could not be (they stay in staging)."""
        restored = True
        for live, backup in reversed(self.journal):
            try:
                if live.is_symlink() or live.is_file():
                    live.unlink()
                if backup is not None:
                    os.replace(backup, live)
            except OSError:
                restored = False
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        return restored

    def prune(self, stale: Sequence[PurePosixPath]) -> None:
        """Folders that held only stale files go too; any other folder stays."""
        for rel in stale:
            folder = self.out_dir.joinpath(*rel.parts).parent
            while folder != self.out_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent


def _differs(path: Path, text: str) -> bool:
    if not (path.exists() or path.is_symlink()):
        return False
    try:
        return path.is_symlink() or path.read_bytes() != text.encode("utf-8")
    except OSError:
        return True


def drift(
    out_dir: Path, files: Sequence[PlannedFile], owned: Collection[PurePosixPath] | None = None
) -> dict[PurePosixPath, list[str]]:
    """Per differing file, the unified diff from the folder to the plan, in the plan's order,
    then what a run would delete; empty when a run would change nothing."""
    planned = {f.relpath: f.text for f in files}
    stale = sorted(p for p in owned or () if p not in planned)
    out: dict[PurePosixPath, list[str]] = {}
    for rel in [*planned, *stale]:
        path = out_dir.joinpath(*rel.parts)
        exists = path.is_file()
        on_disk = path.read_bytes().decode("utf-8", "replace") if exists else ""
        wanted = planned.get(rel)
        if (exists and on_disk == wanted) or (not exists and wanted is None):
            continue
        lines = difflib.unified_diff(
            on_disk.splitlines(keepends=True),
            (wanted or "").splitlines(keepends=True),
            f"a/{rel}" if exists else "/dev/null",
            f"b/{rel}" if wanted is not None else "/dev/null",
            n=1,
        )
        out[rel] = [line.rstrip("\n") for line in lines]
    return out
