"""The pre-commit hook, as a user's repository runs it: ``pre-commit try-repo`` installs this
package into its own environment (from a git copy of it) and runs ``.pre-commit-hooks.yaml``'s
hook on a sample repository with a configured, generated and committed client."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.ci.conftest import commit_all, package_repo, run
from tests.paths import SCHEMAS

HOOK = "gradio-codegen-check"


def test_the_hook_passes_when_up_to_date_and_fails_after_a_hand_edit(tmp_path: Path) -> None:
    hooks = package_repo(tmp_path / "gradio-codegen")
    project = tmp_path / "project"
    shutil.copytree(SCHEMAS / "calculator", project / "schemas" / "calculator")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "consumer"\nversion = "0"\n\n'
        '[[tool.gradio-codegen.apps]]\nsrc = "schemas/calculator/openapi.json"\n'
        'output = "clients/calculator"\n',
        encoding="utf-8",
    )
    run([sys.executable, "-m", "codegen"], project)  # the user generated and committed it
    commit_all(project, "clients")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    try_repo = ["pre-commit", "try-repo", str(hooks), HOOK, "--all-files"]
    command = [str(Path(sys.executable).parent / try_repo[0]), *try_repo[1:]]

    passed = run(command, project, env, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "gradio-codegen clients match their locks" in passed.stdout
    assert "Passed" in passed.stdout

    client = next((project / "clients" / "calculator" / "python").glob("*/client.py"))
    client.write_text(client.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    failed = run(command, project, env, check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "out of date: clients/calculator (1 file differs)" in failed.stdout
    assert "-# hand edit" in failed.stdout
