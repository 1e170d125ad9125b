"""A plain (non-editable) install ships templates/ and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_runs_from_another_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    assert (site / "codegen" / "templates" / "python" / "client.py.jinja").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    command = [str(site / "bin" / "gradio-codegen")]
    shown = subprocess.run(
        [*command, "--help"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert "SRC" in shown.stdout
    schema = ROOT / "fixtures" / "openapi" / "hello_world" / "openapi.json"
    subprocess.run(
        [*command, str(schema), "-o", "out"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
    )
    package = elsewhere / "out" / "python" / "hello_world"
    assert (package / "client.py").is_file()
    assert (package / "_runtime" / "_clients.py").is_file()  # the wheel ships the runtime package
