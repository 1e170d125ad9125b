"""The lock and saved schemas: deterministic text, offline regeneration, tampering caught."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from codegen import __version__, pipeline
from codegen.errors import OutputError, SourceError
from codegen.lock import LOCK_NAME, files_stamp, read_lock, sha256, source_label
from codegen.pipeline import Options, check, from_folder, plan_folder, publish
from codegen.source import read_source
from tests.folders import snapshot
from tests.paths import SCHEMAS

FIXTURES = SCHEMAS


def _generate(src: Path, out: Path, options: Options | None = None) -> None:
    raw = read_source(str(src), None)
    publish(raw, options or Options(), source_label(str(src), out), out)


def test_lock_lists_every_file_with_its_hash_and_saves_the_schemas(tmp_path: Path) -> None:
    src = FIXTURES / "e2e_basics" / "openapi.json"
    out = tmp_path / "out"
    _generate(src, out, Options(base_url="http://example.test"))
    doc = json.loads((out / LOCK_NAME).read_text(encoding="utf-8"))
    assert doc["generator"] == {
        "name": "gradio-codegen",
        "seal": doc["generator"]["seal"],
        "version": __version__,
    }
    assert re.fullmatch("[0-9a-f]{64}", doc["generator"]["seal"])
    assert doc["gradio_version"] == "6.31.0"
    assert doc["options"] == {"name": None, "base_url": "http://example.test"}
    given = doc["source"]["given"]
    assert given.startswith("../") and given.endswith("fixtures/openapi/e2e_basics/openapi.json")
    assert set(doc["schemas"]) == {"openapi.json", "info.json", "config.json"}
    on_disk = {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != LOCK_NAME
    }
    assert on_disk == set(doc["files"]) | set(doc["schemas"])
    for rel, digest in {**doc["files"], **doc["schemas"]}.items():
        assert sha256((out / rel).read_text(encoding="utf-8")) == digest, rel
    for name in ("openapi", "info", "config"):
        saved = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        original = json.loads((src.parent / f"{name}.json").read_text(encoding="utf-8"))
        if name == "config":  # the process's random id is no part of the API (test_source.py)
            original.pop("app_id")
        assert saved == original
        assert list(saved) == list(original)  # key order carries the parameter order


def test_lock_text_is_sorted_and_relative(tmp_path: Path) -> None:
    src = tmp_path / "schemas" / "openapi.json"
    src.parent.mkdir()
    shutil.copy(FIXTURES / "hello_world" / "openapi.json", src)
    out = tmp_path / "client"
    _generate(src, out)
    text = (out / LOCK_NAME).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert doc["source"]["given"] == "../schemas/openapi.json"
    assert str(tmp_path) not in text


def test_the_prefix_a_live_app_answered_under_is_regenerated_with(tmp_path: Path) -> None:
    """A live fetch knows the routes the app answers ("" here, against 5.x's /gradio_api):
    the lock keeps it, so regen makes what the live run made. File sources record none."""
    raw = replace(read_source(str(FIXTURES / "e2e_basics" / "openapi.json"), None), api_prefix="")
    out = tmp_path / "out"
    publish(raw, Options(), "http://app.test/", out)
    doc = json.loads((out / LOCK_NAME).read_text(encoding="utf-8"))
    assert doc["source"]["api_prefix"] == ""
    again, options, source = from_folder(out)
    assert again.api_prefix == ""
    assert check(again, options, source, out).diff == {}
    script = (out / "curl" / "calculate.sh").read_text(encoding="utf-8")
    assert "\napi_prefix=''\n" in script
    _generate(FIXTURES / "e2e_basics" / "openapi.json", tmp_path / "files")
    assert "api_prefix" not in (tmp_path / "files" / LOCK_NAME).read_text(encoding="utf-8")


def test_source_label_drops_credentials_and_keeps_ids() -> None:
    out = Path("/nonexistent/out")
    assert source_label("https://user:pw@host.test/app/", out) == "https://host.test/app/"
    assert source_label("abidlabs/whisper", out) == "abidlabs/whisper"


def test_regen_from_the_folder_alone_gives_the_same_bytes(tmp_path: Path) -> None:
    src = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "e2e_media", src)
    out = tmp_path / "out"
    _generate(src / "openapi.json", out, Options(name="media_client", base_url="http://h.test"))
    shutil.rmtree(src)  # nothing but the folder is left
    before = snapshot(out)
    raw, options, source = from_folder(out)
    assert options == Options(name="media_client", base_url="http://h.test")
    assert check(raw, options, source, out).diff == {}
    publish(raw, options, source, out)
    assert snapshot(out) == before


def test_check_reports_drift_and_api_changes_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(FIXTURES / "hello_world" / "openapi.json", out)
    before = snapshot(out)
    raw = read_source(str(FIXTURES / "calculator" / "openapi.json"), None)
    result = check(raw, Options(), "calculator", out)
    changed = {str(p) for p in result.diff}
    assert {"python/README.md", "gradio-codegen.lock", "info.json", "openapi.json"} <= changed
    assert result.diff[PurePosixPath("gradio-codegen.lock")][1] == "+++ b/gradio-codegen.lock"
    assert any(c.kind == "input-removed" for c in result.changes)
    assert snapshot(out) == before


def test_a_changed_saved_schema_is_caught(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(FIXTURES / "hello_world" / "openapi.json", out)
    info = out / "info.json"
    info.write_text(info.read_text(encoding="utf-8").replace("name", "nom"), encoding="utf-8")
    with pytest.raises(SourceError, match="changed after it was fetched"):
        from_folder(out)


Damage = Callable[[dict[str, Any]], str]


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        (lambda d: "{ not json", SourceError),
        (lambda d: json.dumps({**d, "lock_version": 99}), SourceError),
        (lambda d: json.dumps({k: v for k, v in d.items() if k != "files"}), SourceError),
        (lambda d: json.dumps({**d, "schemas": {"evil.json": "0"}}), SourceError),
        (lambda d: json.dumps({**d, "files": {"../../etc/passwd": "0"}}), OutputError),
    ],
)
def test_a_damaged_lock_is_an_error_not_a_guess(
    tmp_path: Path, damage: Damage, error: type[Exception]
) -> None:
    out = tmp_path / "out"
    _generate(FIXTURES / "hello_world" / "openapi.json", out)
    lock = out / LOCK_NAME
    lock.write_text(damage(json.loads(lock.read_text(encoding="utf-8"))), encoding="utf-8")
    with pytest.raises(error):
        read_lock(out)


def test_no_lock_means_nothing_to_regenerate(tmp_path: Path) -> None:
    assert read_lock(tmp_path) is None
    with pytest.raises(SourceError, match=r"has no gradio-codegen\.lock"):
        from_folder(tmp_path)


def test_plan_folder_is_the_targets_plus_schemas_and_lock() -> None:
    raw = read_source(str(FIXTURES / "hello_world" / "openapi.json"), None)
    _, files = plan_folder(raw, Options(), "x")
    top = sorted({f.relpath.parts[0] for f in files})
    assert top == [
        "README.md",
        "curl",
        "gradio-codegen.lock",
        "info.json",
        "js",
        "openapi.json",
        "python",
    ]


# An up-to-date folder: neither rendered nor written.


def _mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("rendered although the folder was up to date")

    monkeypatch.setattr(pipeline, "plan", refuse)


def _media(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _generate(FIXTURES / "e2e_media" / "openapi.json", out, Options(name="media"))
    return out


def test_an_up_to_date_folder_is_checked_and_kept_without_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _media(tmp_path)
    before, times = snapshot(out), _mtimes(out)
    _no_rendering(monkeypatch)
    raw, options, source = from_folder(out)
    assert check(raw, options, source, out).diff == {}
    app, files = publish(raw, options, source, out)
    assert files == [] and app.endpoints
    assert snapshot(out) == before
    assert _mtimes(out) == times  # not even rewritten with the same bytes


def _link_folder(folder: Path, moved: Path) -> None:
    folder.rename(moved)
    folder.symlink_to(moved.name)


@pytest.mark.parametrize(
    ("change", "drift"),
    [
        (lambda out: (out / "js" / "index.js").write_text("// mine\n", encoding="utf-8"), True),
        (lambda out: (out / "curl" / "_runtime.bash").unlink(), True),
        (lambda out: (out / "README.md").unlink() or (out / "README.md").symlink_to("x"), True),
        # --check compares text; a run restores the mode
        (lambda out: (out / "curl" / "file_upper.sh").chmod(0o644), False),
        (lambda out: _link_folder(out / "js", out / "js-moved"), False),
    ],
    ids=["edited", "deleted", "a link", "not executable", "a linked folder"],
)
def test_a_folder_changed_by_hand_is_rendered_again(
    tmp_path: Path, change: Callable[[Path], object], drift: bool
) -> None:
    out = _media(tmp_path)
    src = FIXTURES / "e2e_media" / "openapi.json"
    raw = read_source(str(src), None)
    source = source_label(str(src), out)
    change(out)
    assert bool(check(raw, Options(name="media"), source, out).diff) is drift
    if (out / "js").is_symlink():  # the run refuses to write through it, as ever
        with pytest.raises(OutputError, match="is a link or a file, not a folder"):
            publish(raw, Options(name="media"), source, out)
        (out / "js").unlink()
        (out / "js-moved").rename(out / "js")
    else:
        assert publish(raw, Options(name="media"), source, out)[1]  # rendered and written
    assert not (out / "README.md").is_symlink()
    assert (out / "curl" / "file_upper.sh").stat().st_mode & 0o100
    assert check(raw, Options(name="media"), source, out).diff == {}
    assert publish(raw, Options(name="media"), source, out)[1] == []


def test_other_inputs_are_rendered_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _media(tmp_path)
    src = FIXTURES / "e2e_media" / "openapi.json"
    raw = read_source(str(src), None)
    source = source_label(str(src), out)
    calls: list[object] = []
    real_plan = pipeline.plan
    monkeypatch.setattr(pipeline, "plan", lambda *a: calls.append(a) or real_plan(*a))
    assert check(raw, Options(name="other"), source, out).diff  # another option
    assert check(raw, Options(name="media", targets=("js",)), source, out).diff
    assert check(raw, Options(name="media"), "elsewhere", out).diff  # another source
    # each rendered at the folder's package version; the two whose files change, once more
    # at the bumped one (the patch)
    assert [c[-1] for c in calls] == ["0.1.0", "0.1.1", "0.1.0", "0.1.1", "0.1.0"]


def test_a_template_folder_is_always_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    (templates / "notes").mkdir(parents=True)
    (templates / "notes" / "endpoints.txt.jinja").write_text("{{ package }}\n", encoding="utf-8")
    src = FIXTURES / "hello_world" / "openapi.json"
    out = tmp_path / "out"
    options = Options(templates=templates)
    _generate(src, out, options)
    calls: list[object] = []
    real_plan = pipeline.plan
    monkeypatch.setattr(pipeline, "plan", lambda *a: calls.append(a) or real_plan(*a))
    raw, options, source = from_folder(out)
    assert check(raw, options, source, out).diff == {}
    assert calls  # the user's templates may have changed since


def test_a_new_build_alone_is_no_drift_and_keeps_the_lock(tmp_path: Path) -> None:
    out = _media(tmp_path)
    lock = out / LOCK_NAME
    text = lock.read_text(encoding="utf-8")
    seal = json.loads(text)["generator"]["seal"]
    lock.write_text(text.replace(seal, "another build's seal"), encoding="utf-8")
    before = snapshot(out)
    raw, options, source = from_folder(out)
    assert check(raw, options, source, out).diff == {}
    _, files = publish(raw, options, source, out)  # rendered: the seal does not match
    assert files
    assert snapshot(out) == before
    # a real change writes this build's seal with it, and the shortcut works again
    publish(raw, Options(name="renamed"), source, out)
    assert "another build" not in lock.read_text(encoding="utf-8")
    assert publish(raw, Options(name="renamed"), source, out)[1] == []


def test_a_lock_from_before_seals_is_kept_as_it_is(tmp_path: Path) -> None:
    out = _media(tmp_path)
    lock = out / LOCK_NAME
    doc = json.loads(lock.read_text(encoding="utf-8"))
    del doc["generator"]["seal"]
    old = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    lock.write_text(old, encoding="utf-8")
    raw, options, source = from_folder(out)
    assert check(raw, options, source, out).diff == {}
    publish(raw, options, source, out)
    assert lock.read_text(encoding="utf-8") == old


def _edit_lock(out: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    lock = out / LOCK_NAME
    doc = json.loads(lock.read_text(encoding="utf-8"))
    edit(doc)
    lock.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _hand_edit(out: Path) -> None:
    """A file edited and its hash put in the lock, as a hand or a merge might."""
    client = out / "python" / "media" / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    rel = "python/media/client.py"
    _edit_lock(out, lambda d: d["files"].update({rel: sha256(client.read_text("utf-8"))}))


def _script_dropped(out: Path) -> None:
    (out / "curl" / "file_upper.sh").unlink()
    _edit_lock(out, lambda d: d["files"].pop("curl/file_upper.sh"))


def _reindented(out: Path) -> None:
    lock = out / LOCK_NAME
    lock.write_text(json.dumps(json.loads(lock.read_text("utf-8")), indent=4), encoding="utf-8")


@pytest.mark.parametrize(
    "edit",
    [
        _hand_edit,
        _script_dropped,
        lambda out: _edit_lock(out, lambda d: d.update(gradio_version="9.9.9")),
        _reindented,
    ],
    ids=["a file and its hash", "a script and its entry", "the gradio version", "reindented"],
)
def test_a_lock_edited_by_hand_is_no_proof(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    """Only this build's seal lets a run skip rendering: whatever else wrote the lock, the
    folder is rendered and compared, the lock with it, and a run puts it right."""
    out = _media(tmp_path)
    edit(out)
    raw, options, source = from_folder(out)
    diff = check(raw, options, source, out).diff
    assert PurePosixPath(LOCK_NAME) in diff
    assert publish(raw, options, source, out)[1]
    assert check(raw, options, source, out).diff == {}
    assert (out / "curl" / "file_upper.sh").is_file()
    assert "# mine" not in (out / "python" / "media" / "client.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("rel", "mode"),
    [
        ("README.md", 0o755),
        (LOCK_NAME, 0o744),
        ("openapi.json", 0o700),
        ("curl/file_upper.sh", 0o654),
    ],
)
def test_a_mode_a_run_would_not_leave_is_put_right(tmp_path: Path, rel: str, mode: int) -> None:
    out = _media(tmp_path)
    written = (out / rel).stat().st_mode & 0o777
    (out / rel).chmod(mode)
    raw, options, source = from_folder(out)
    assert publish(raw, options, source, out)[1]
    assert (out / rel).stat().st_mode & 0o777 == written
    assert publish(raw, options, source, out)[1] == []


def test_odd_files_are_rendered_again(tmp_path: Path) -> None:
    out = _media(tmp_path)
    fifo = out / "js" / "index.js"
    fifo.unlink()
    os.mkfifo(fifo)  # reading it would wait for a writer
    raw, options, source = from_folder(out)
    assert publish(raw, options, source, out)[1]
    assert fifo.is_file()
    assert publish(raw, options, source, out)[1] == []


def test_the_shortcut_gives_the_app_a_run_would(tmp_path: Path) -> None:
    src = FIXTURES / "e2e_media" / "openapi.json"
    out = tmp_path / "out"
    options = Options(name="media", base_url="http://override.test/")
    raw = read_source(str(src), None)
    rendered, files = publish(raw, options, source_label(str(src), out), out)
    skipped, none = publish(raw, options, source_label(str(src), out), out)
    assert files and none == []
    assert skipped == rendered and skipped.base_url == "http://override.test"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_the_build_stamp_covers_code_templates_and_libraries(tmp_path: Path) -> None:
    code = {"__init__.py": "", "pipeline.py": "x = 1\n", "runtime/r.js": "1;\n"}
    templates = {"python/client.py.jinja": "{{ a }}\n"}
    package = _tree(tmp_path / "checkout" / "codegen", code)
    folder = _tree(tmp_path / "checkout" / "templates", templates)
    stamp = files_stamp(package, folder, ["jinja2 3.1"])
    # a wheel keeps the templates inside the package: the same stamp
    wheel = _tree(tmp_path / "wheel" / "codegen", code)
    inner = _tree(wheel / "templates", templates)
    assert files_stamp(wheel, inner, ["jinja2 3.1"]) == stamp
    # bytecode and hidden editor files do not count
    _tree(package, {"__pycache__/pipeline.cpython-311.pyc": "...", ".pipeline.py.swp": "..."})
    assert files_stamp(package, folder, ["jinja2 3.1"]) == stamp
    # code, a template, a new file and a library version do
    assert files_stamp(package, folder, ["jinja2 3.2"]) != stamp
    for root, rel in ((package, "pipeline.py"), (folder, "python/client.py.jinja")):
        old = (root / rel).read_text(encoding="utf-8")
        (root / rel).write_text(old + " ", encoding="utf-8")
        assert files_stamp(package, folder, ["jinja2 3.1"]) != stamp
        (root / rel).write_text(old, encoding="utf-8")
    _tree(folder, {"js/new.jinja": ""})
    assert files_stamp(package, folder, ["jinja2 3.1"]) != stamp
