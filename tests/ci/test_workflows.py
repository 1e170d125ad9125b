"""The drop-in CI files: the Action and the example workflows validate against GitHub's
schemas (check-jsonschema's vendored copies, offline), pass zizmor's audits at medium
severity and above, install only what exists, and the Action's check step does what its
summary promises when run as a runner runs it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.ci.conftest import run
from tests.paths import ROOT, SCHEMAS

BIN = Path(sys.executable).parent
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / "examples" / "ci").glob("*.yml"))
SHA = re.compile(r"[0-9a-f]{40}")


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in doc:
        return list(doc["runs"]["steps"])
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def test_the_three_examples_are_there() -> None:
    names = {p.name for p in WORKFLOWS}
    assert names == {"pull-request.yml", "scheduled-check.yml", "scheduled-update.yml"}
    on = {p.name: _load(p)[True] for p in WORKFLOWS}  # YAML 1.1 reads `on` as True
    assert set(on["pull-request.yml"]) >= {"pull_request"}
    assert "schedule" in on["scheduled-check.yml"] and "schedule" in on["scheduled-update.yml"]
    assert "pull_request" not in on["scheduled-check.yml"]  # live apps never gate a PR


def test_they_validate_against_githubs_schemas() -> None:
    for schema, files in (
        ("vendor.github-actions", [ACTION]),
        ("vendor.github-workflows", WORKFLOWS),
    ):
        checked = run(
            [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
            ROOT,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_zizmor_finds_nothing_at_medium_severity_and_above() -> None:
    audited = run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--no-progress",
            "--min-severity",
            "medium",
            str(ACTION),
            *map(str, WORKFLOWS),
        ],
        ROOT,
        check=False,
    )
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "No findings to report" in audited.stdout


def test_actions_are_pinned_checkouts_keep_no_credentials_installs_are_real() -> None:
    for path in [ACTION, *WORKFLOWS]:
        text = path.read_text(encoding="utf-8")
        assert "pip install gradio-codegen" not in text and "gradio-codegen==" not in text, path
        for step in _steps(_load(path)):
            uses = step.get("uses")
            if uses is None:
                continue
            assert SHA.fullmatch(uses.partition("@")[2]), (path, uses)
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, path
    # the tool is the action's own commit, or a pinned git reference
    assert '"$GITHUB_ACTION_PATH"' in ACTION.read_text(encoding="utf-8")
    update = (ROOT / "examples" / "ci" / "scheduled-update.yml").read_text(encoding="utf-8")
    assert re.search(
        r"gradio-codegen @ git\+https://github\.com/OWNER/gradio-codegen@[0-9a-f]{40}", update
    )
    assert "gradio-codegen diff " in update and "--format markdown" in update
    assert "body-path: ${{ runner.temp }}/api-changes.md" in update


def _check_step(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The Action's check step, run by bash as a runner runs it (``shell: bash`` is ``bash
    -e {0}``), with the tool its install step would have put in $RUNNER_TEMP."""
    step = next(s for s in _load(ACTION)["runs"]["steps"] if s.get("name") == "Check the clients")
    script = tmp_path / "check.sh"
    script.write_text(step["run"], encoding="utf-8")
    tool = tmp_path / "runner" / "gradio-codegen" / "bin"
    if not tool.exists():
        tool.mkdir(parents=True)
        (tool / "gradio-codegen").symlink_to(BIN / "gradio-codegen")
    defaults = {"MODE": "offline", "APPS": "", "CONFIG": "", "HF_TOKEN": ""}
    return subprocess.run(
        ["bash", "-e", str(script)],
        cwd=tmp_path / "project",
        env={**os.environ, **defaults, "RUNNER_TEMP": str(tmp_path / "runner"), **env},
        capture_output=True,
        text=True,
    )


def test_the_actions_check_writes_the_diff_the_api_table_and_errors_to_the_summary(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    for name in ("calculator", "hello_world"):
        shutil.copytree(SCHEMAS / name, project / "schemas" / name)
    (project / "gradio-codegen.toml").write_text(
        '[[apps]]\nsrc = "schemas/calculator"\noutput = "clients/calculator"\n'
        '[[apps]]\nsrc = "schemas/hello_world"\noutput = "clients/hello"\n',
        encoding="utf-8",
    )
    assert run([str(BIN / "gradio-codegen")], project).returncode == 0
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}

    passed = _check_step(tmp_path, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "- `clients/calculator`: up to date" in summary.read_text(encoding="utf-8")

    for name in ("openapi.json", "info.json"):  # the app renamed an input: a live change
        path = project / "schemas" / "calculator" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace('"num1"', '"first"'), encoding="utf-8"
        )
    summary.unlink()
    live = _check_step(tmp_path, {**env, "MODE": "live", "APPS": "calculator"})
    assert live.returncode == 1, live.stdout + live.stderr
    text = summary.read_text(encoding="utf-8")
    assert "### `clients/calculator`: out of date (" in text and "```diff" in text
    assert "| breaking | `/predict` | input 'num1' renamed to 'first' |" in text
    assert "clients/hello" not in text  # apps: picked one

    shutil.rmtree(project / "clients" / "hello" / "python")
    (project / "clients" / "hello" / "openapi.json").write_text("{}", encoding="utf-8")
    summary.unlink()
    broken = _check_step(tmp_path, env)
    assert broken.returncode == 4, broken.stdout + broken.stderr  # an error's own code
    text = summary.read_text(encoding="utf-8")
    assert "### Errors" in text and "was changed after it was fetched" in text
    assert broken.stderr.strip().splitlines()[-1] in text

    bad = _check_step(tmp_path, {**env, "MODE": "sometimes"})
    assert bad.returncode == 2 and "::error::mode must be offline or live" in bad.stdout
