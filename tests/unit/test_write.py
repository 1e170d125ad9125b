"""Publishing planned files: path checks, what a run may replace or delete, all or nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

import pytest

import codegen.write as write_mod
from codegen.errors import OutputError
from codegen.write import PlannedFile, check_paths, drift, write
from tests.folders import snapshot


def _f(path: str, text: str = "x", executable: bool = False) -> PlannedFile:
    return PlannedFile(PurePosixPath(path), text, executable)


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
    assert not out.exists() or snapshot(out) == {}
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


def _paths(*paths: str) -> frozenset[PurePosixPath]:
    return frozenset(PurePosixPath(p) for p in paths)


def test_second_run_removes_what_it_wrote_before_and_keeps_user_files(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/pkg/old.py", "old"), _f("python/pkg/keep.py", "v1")])
    (tmp_path / "mine.txt").write_text("user data", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.md").write_text("n", encoding="utf-8")

    write(
        tmp_path,
        [_f("python/pkg/keep.py", "v2"), _f("python/pkg/new.py", "new")],
        owned=_paths("python/pkg/old.py", "python/pkg/keep.py"),
    )

    assert snapshot(tmp_path) == {
        "mine.txt": b"user data",
        "notes/n.md": b"n",
        "python/pkg/keep.py": b"v2",
        "python/pkg/new.py": b"new",
    }
    assert _leftovers(tmp_path) == []


def test_user_files_inside_generated_folders_stay(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/pkg/a.py", "1"), _f("js/old.js", "o")])
    (tmp_path / "python" / "pkg" / "mine.py").write_text("m", encoding="utf-8")
    (tmp_path / "js" / "notes.md").write_text("n", encoding="utf-8")
    write(tmp_path, [_f("python/pkg/a.py", "2")], owned=_paths("python/pkg/a.py", "js/old.js"))
    assert snapshot(tmp_path) == {
        "js/notes.md": b"n",
        "python/pkg/a.py": b"2",
        "python/pkg/mine.py": b"m",
    }


def test_folders_left_empty_by_stale_files_go(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/old_pkg/a.py"), _f("python/old_pkg/sub/b.py"), _f("keep/x")])
    (tmp_path / "empty_of_mine").mkdir()
    stale = _paths("python/old_pkg/a.py", "python/old_pkg/sub/b.py")
    write(tmp_path, [_f("keep/x")], owned=stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty_of_mine", "keep"]


def test_a_user_file_the_lock_does_not_list_is_never_overwritten(tmp_path: Path) -> None:
    write(tmp_path, [_f("python/a.py", "1")])
    (tmp_path / "README.md").write_text("my notes", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match=r"README\.md exists and gradio-codegen\.lock does not"):
        write(tmp_path, [_f("python/a.py", "2"), _f("README.md", "gen")], _paths("python/a.py"))
    assert snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []
    # the same bytes are no conflict, and without a lock the planned paths are written
    write(tmp_path, [_f("README.md", "my notes")], _paths())
    write(tmp_path, [_f("README.md", "gen")])
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "gen"


def test_stale_paths_from_a_lock_must_stay_inside(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "victim").write_text("v", encoding="utf-8")
    with pytest.raises(OutputError, match="leaves the output folder"):
        write(tmp_path / "out", [_f("a")], owned=_paths("../victim"))
    assert (tmp_path / "victim").exists()


def test_drift_is_a_unified_diff_of_what_a_run_would_change(tmp_path: Path) -> None:
    files = [_f("python/a.py", "one\ntwo\n"), _f("python/b.py", "b\n")]
    write(tmp_path, [*files, _f("python/gone.py", "g\n")])
    (tmp_path / "mine.txt").write_text("m", encoding="utf-8")
    owned = _paths("python/a.py", "python/b.py", "python/gone.py")
    assert drift(tmp_path, files, _paths("python/a.py", "python/b.py")) == {}
    (tmp_path / "python" / "a.py").write_text("one\nTWO\n", encoding="utf-8")
    (tmp_path / "python" / "b.py").unlink()
    diffs = drift(tmp_path, files, owned)
    assert [str(p) for p in diffs] == ["python/a.py", "python/b.py", "python/gone.py"]
    assert diffs[PurePosixPath("python/a.py")] == [
        "--- a/python/a.py",
        "+++ b/python/a.py",
        "@@ -1,2 +1,2 @@",
        " one",
        "-TWO",
        "+two",
    ]
    assert diffs[PurePosixPath("python/b.py")][:2] == ["--- /dev/null", "+++ b/python/b.py"]
    assert diffs[PurePosixPath("python/gone.py")][1:] == ["+++ /dev/null", "@@ -1 +0,0 @@", "-g"]
    lines = [line for diff in diffs.values() for line in diff]
    assert not any("mine.txt" in line for line in lines)


def test_failure_mid_swap_keeps_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, [_f("python/pkg/client.py", "v1"), _f("python/README.md", "readme v1")])
    (tmp_path / "mine.txt").write_text("user data", encoding="utf-8")
    before = snapshot(tmp_path)

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
    assert snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_failure_while_staging_keeps_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, [_f("python/a.py", "v1")])
    before = snapshot(tmp_path)
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

    assert snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_multiple_roots_are_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, [_f("a/x", "a1"), _f("b/y", "b1")])
    before = snapshot(tmp_path)
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

    assert snapshot(tmp_path) == before
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


def test_a_symlinked_folder_is_refused_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "python").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="is a link or a file"):
        write(out, [_f("python/a.py", "new")])
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.txt"]
    assert (out / "python").is_symlink()
    assert _leftovers(out) == []


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


def test_a_late_failure_puts_back_replaced_and_stale_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [_f("python/pkg/a.py", "a1"), _f("python/pkg/old.py", "o1"), _f("top.md", "t1")]
    write(tmp_path, first)
    (tmp_path / "python" / "pkg" / "mine.py").write_text("m", encoding="utf-8")
    before = snapshot(tmp_path)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        calls["n"] += 1
        if calls["n"] == 6:  # a.py and top.md swapped, new.py placed, then old.py's removal
            raise OSError(5, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr(write_mod.os, "replace", flaky_replace)
    with pytest.raises(OutputError):
        write(
            tmp_path,
            [_f("python/pkg/a.py", "a2"), _f("python/pkg/new.py", "n"), _f("top.md", "t2")],
            owned=_paths("python/pkg/a.py", "python/pkg/old.py", "top.md"),
        )
    monkeypatch.undo()
    assert calls["n"] >= 6
    assert snapshot(tmp_path) == before
    assert _leftovers(tmp_path) == []


def test_when_undo_fails_too_the_old_files_are_kept_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, [_f("a.py", "v1"), _f("b.py", "v1")])
    real_replace = os.replace
    calls = {"n": 0}

    def failing_after_two(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        calls["n"] += 1
        if calls["n"] > 2:  # a.py swapped in; b.py, and every move back, fail
            raise OSError(5, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr(write_mod.os, "replace", failing_after_two)
    with pytest.raises(OutputError) as exc:
        write(tmp_path, [_f("a.py", "v2"), _f("b.py", "v2")])
    monkeypatch.undo()
    assert "nor put its old files back" in str(exc.value)
    [staging] = [p for p in tmp_path.iterdir() if p.name.startswith(".gradio-codegen-")]
    assert (staging / "old" / "a.py").read_text(encoding="utf-8") == "v1"
    assert str(staging / "old") in str(exc.value)
