from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite generated_examples/ from fixtures/openapi/ instead of comparing",
    )


@pytest.fixture(autouse=True)
def no_saved_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the token ``hf auth login`` saved on the machine that runs it: HF_HOME
    is an empty folder of the test's own (the clients and scripts the tests run inherit it)."""
    home: Path = tmp_path_factory.mktemp("hf_home")
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.delenv("HF_TOKEN_PATH", raising=False)
