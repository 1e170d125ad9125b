"""The lock and saved schemas: deterministic text, offline regeneration, tampering caught."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from codegen import __version__
from codegen.errors import OutputError, SourceError
from codegen.lock import LOCK_NAME, read_lock, sha256, source_label
from codegen.pipeline import Options, check, from_folder, plan_folder, publish
from codegen.source import read_source
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
    assert doc["generator"] == {"name": "gradio-codegen", "version": __version__}
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
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    raw, options, source = from_folder(out)
    assert options == Options(name="media_client", base_url="http://h.test")
    assert check(raw, options, source, out).diff == {}
    publish(raw, options, source, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_check_reports_drift_and_api_changes_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(FIXTURES / "hello_world" / "openapi.json", out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    raw = read_source(str(FIXTURES / "calculator" / "openapi.json"), None)
    result = check(raw, Options(), "calculator", out)
    changed = {str(p) for p in result.diff}
    assert {"python/README.md", "gradio-codegen.lock", "info.json", "openapi.json"} <= changed
    assert result.diff[PurePosixPath("gradio-codegen.lock")][1] == "+++ b/gradio-codegen.lock"
    assert any(c.kind == "input-removed" for c in result.changes)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


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
