"""Publishing planned files: path checks, ownership of ``python/``, all-or-nothing swaps."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

import pytest

import codegen.write as write_mod
from codegen.errors import OutputError
from codegen.write import PlannedFile, check_paths, write


def _f(path: str, text: str = "x", executable: bool = False) -> PlannedFile:
    return PlannedFile(PurePosixPath(path), text, executable)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".gradio-codegen-")]


@pytest.mark.parametrize(
    "path",
    ["../x", "python/../../x", "/etc/passwd", "/abs/x", "python/..", "..", "a\\..\\b", ""],
)
def test_refuses_paths_leaving_the_folder(tmp_path: Path, path: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputError):
        write(out, [_f("python/ok.py"), _f(path)])
    assert not out.exists() or _snapshot(out) == {}
    assert not (tmp_path / "x").exists()


def test_refuses_duplicates(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as exc:
        write(tmp_path, [_f("python/a.py"), _f("python/b.py"), _f("python/a.py", "other")])
    assert "python/a.py" in str(exc.value)
    assert not (tmp_path / "python").exists()
    assert exc.value.exit_code == 6


def test_check_paths_accepts_normal_paths() -> None:
    check_paths([_f("python/pkg/__init__.py"), _f("python/README.md")])


def test_writes_files_and_executables(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    write(
        out,
        [
            _f("python/pkg/client.py", "print('héllo')\n"),
            _f("python/run.sh", "#!/bin/sh\necho hi\n", executable=True),
            _f("python/pkg/py.typed", ""),
        ],
    )
    assert (out / "python/pkg/client.py").read_text(encoding="utf-8") == "print('héllo')\n"
    assert (out / "python/pkg/py.typed").read_bytes() == b""
    mode = (out / "python/run.sh").stat().st_mode
    assert mode & stat.S_IXUSR
    assert not (out / "python/pkg/client.py").stat().st_mode & stat.S_IXUSR
    assert _leftovers(out) == []


def test_newlines_are_written_as_lf(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/a.txt", "a\nb\n")])
    assert (tmp_path / "python/a.txt").read_bytes() == b"a\nb\n"


def test_second_run_replaces_owned_subtree_and_keeps_user_files(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/pkg/old.py", "old"), _f("python/pkg/keep.py", "v1")])
    (tmp_path / "mine.txt").write_text("user data", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.md").write_text("n", encoding="utf-8")

    write(tmp_path, [_f("python/pkg/keep.py", "v2"), _f("python/pkg/new.py", "new")])

    assert _snapshot(tmp_path) == {
        "mine.txt": b"user data",
        "notes/n.md": b"n",
        "python/pkg/keep.py": b"v2",
        "python/pkg/new.py": b"new",
    }
    assert _leftovers(tmp_path) == []


def test_stray_file_inside_owned_subtree_is_removed(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/a.py", "1")])
    (tmp_path / "python" / "stray.py").write_text("s", encoding="utf-8")
    write(tmp_path, [_f("python/a.py", "2")])
    assert _snapshot(tmp_path) == {"python/a.py": b"2"}


def test_failure_mid_swap_keeps_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, [_f("python/pkg/client.py", "v1"), _f("python/README.md", "readme v1")])
    (tmp_path / "mine.txt").write_text("user data", encoding="utf-8")
    before = _snapshot(tmp_path)

    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the old tree has moved aside; the new one fails to move in
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write_mod.os, "replace", flaky_replace)
    with pytest.raises(OutputError) as exc:
        write(tmp_path, [_f("python/pkg/client.py", "v2"), _f("python/new.py", "new")])
    monkeypatch.undo()

    assert calls["n"] >= 2
    assert "check permissions" in str(exc.value)
    assert _snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_failure_while_staging_keeps_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, [_f("python/a.py", "v1")])
    before = _snapshot(tmp_path)
    real_write_text = Path.write_text
    calls = {"n": 0}

    def flaky_write_text(self: Path, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(13, "Permission denied")
        return real_write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", flaky_write_text)
    with pytest.raises(OutputError):
        write(tmp_path, [_f("python/a.py", "v2"), _f("python/b.py", "b")])
    monkeypatch.undo()

    assert _snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_multiple_roots_are_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, [_f("a/x", "a1"), _f("b/y", "b1")])
    before = _snapshot(tmp_path)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # a swapped in fully, b moved aside, b's new tree fails
            raise OSError(5, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr(write_mod.os, "replace", flaky_replace)
    with pytest.raises(OutputError):
        write(tmp_path, [_f("a/x", "a2"), _f("b/y", "b2")])
    monkeypatch.undo()

    assert _snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_output_folder_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "file"
    out.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError):
        write(out, [_f("python/a.py")])
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError):
        write(out, [_f("python/a.py")])
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_symlinked_subtree_is_replaced_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "python").symlink_to(elsewhere, target_is_directory=True)
    write(out, [_f("python/a.py", "new")])
    assert (elsewhere / "precious.txt").read_text(encoding="utf-8") == "keep"
    assert not (out / "python").is_symlink()
    assert (out / "python" / "a.py").read_text(encoding="utf-8") == "new"


def test_a_failed_first_run_leaves_no_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import codegen.write as write_module

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(write_module.os, "replace", broken)
    out = tmp_path / "new" / "out"
    with pytest.raises(OutputError):
        write(out, [_f("python/a.py")])
    assert not out.exists()
