"""A clone with nothing beside it has every file its tests, benchmarks and examples read."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.paths import CORPUS, CORPUS_VERSIONS, ROOT, corpus

SOURCES = ("codegen", "tests", "bench", "scripts", ".ci")
SUFFIXES = {".py", ".sh", ".bash", ".mjs", ".js", ".ts", ".toml", ""}
# `parents[N]` and `.parent` chains: how far up from the file they climb
PARENTS = re.compile(r"\.parents\[(\d+)\]")
PARENT_CHAIN = re.compile(r"__file__\)(?:\.resolve\(\))?((?:\.parent)+)")
# a path named by what lies outside the checkout
OUTSIDE = re.compile(r"""["'/]shared["'/]|\.\./shared|/work/""")


def tracked_sources() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", *SOURCES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    files = [ROOT / name for name in listed] if listed else []
    return [p for p in files if p.is_file() and p.suffix in SUFFIXES and p != Path(__file__)]


def escapes(text: str, where: Path) -> list[str]:
    """Each way this text, in a file at ``where``, names a place above the checkout's root."""
    depth = len(where.relative_to(ROOT).parts) - 1  # folders between the root and the file
    found = [f"parents[{n}]" for n in map(int, PARENTS.findall(text)) if n > depth]
    found += [f"__file__{c}" for c in PARENT_CHAIN.findall(text) if c.count(".parent") > depth + 1]
    return found + [m.group(0) for m in OUTSIDE.finditer(text)]


def test_no_source_names_a_path_outside_the_checkout() -> None:
    sources = tracked_sources()
    assert len(sources) > 50, "git ls-files found too few sources"
    offenders = {
        str(p.relative_to(ROOT)): found
        for p in sources
        if (found := escapes(p.read_text(encoding="utf-8", errors="replace"), p))
    }
    assert offenders == {}


def test_the_scan_catches_an_escape() -> None:
    where = ROOT / "tests" / "unit" / "probe.py"  # never written: only its depth matters
    beside = "sha" + "red"  # the folder beside the checkout, not spelled out in this file
    for line in (
        f'CORPUS = Path(__file__).resolve().parents[3] / "{beside}" / "corpus"',
        "ROOT = Path(__file__).parent.parent.parent.parent",
        f'open("../{beside}/corpus/x")',
    ):
        assert escapes(line, where), line
    assert escapes("ROOT = Path(__file__).resolve().parents[2]", where) == []


def test_the_corpus_is_inside_the_checkout() -> None:
    assert ROOT in CORPUS.parents and (CORPUS / "README.md").is_file()
    for version in CORPUS_VERSIONS:
        captures = [p for p in corpus(version).iterdir() if (p / "meta.json").is_file()]
        assert len(captures) >= 15, version
