"""What a user installs outside a clone: ``python -m build`` makes a wheel and an sdist that
pass ``twine check --strict`` and hold the templates, the runtimes and the CLI."""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

from codegen import __version__
from tests.ci.conftest import package_repo, run

BIN = Path(sys.executable).parent


def test_build_makes_a_wheel_and_sdist_that_twine_check_strict_passes(tmp_path: Path) -> None:
    source = package_repo(tmp_path / "source")  # what a clone holds, no build leftovers
    dist = tmp_path / "dist"
    # --no-isolation: hatchling comes from the test extras, not the network
    built = run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist)],
        source,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = dist / f"gradio_codegen-{__version__}-py3-none-any.whl"
    sdist = dist / f"gradio_codegen-{__version__}.tar.gz"
    assert sorted(dist.iterdir()) == sorted([wheel, sdist])
    checked = run(
        [str(BIN / "twine"), "check", "--strict", str(wheel), str(sdist)], tmp_path, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "codegen/templates/python/client.py.jinja" in names
    assert "codegen/runtime/gradio_runtime.js" in names
    entry_points = zipfile.ZipFile(wheel).read(
        f"gradio_codegen-{__version__}.dist-info/entry_points.txt"
    )
    assert b"gradio-codegen = codegen.cli:main" in entry_points
    with tarfile.open(sdist) as tar:
        members = {m.name.partition("/")[2] for m in tar.getmembers()}
    assert {"pyproject.toml", "README.md", "templates/python/client.py.jinja"} <= members
