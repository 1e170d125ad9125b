"""Where the tests and benchmarks find their inputs: inside the checkout, never beside it.

Every reader of fixtures goes through these names, so a clone with nothing next to it has
all it needs (``tests/unit/test_self_contained.py`` fails on a path that leaves the tree).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SCHEMAS = FIXTURES / "openapi"
# real captures of Gradio's demo apps under five versions (see its README.md)
CORPUS = FIXTURES / "corpus"
CORPUS_VERSIONS = ("3.50.2", "4.44.1", "5.49.1", "6.5.1", "6.31.0")


def corpus(version: str) -> Path:
    """The captures of one Gradio version: one folder per demo app."""
    return CORPUS / f"gradio-{version}"
