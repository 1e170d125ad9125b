"""``tsc --strict --noEmit`` over generated declarations, with the TypeScript tests/js pins."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent / "js" / "node_modules"


def tsc_strict(declarations: list[Path], work: Path) -> subprocess.CompletedProcess[str]:
    """Checks the files as a Node ES module project would see them; ``work`` holds tsconfig."""
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "lib": ["ES2022", "DOM"],
            "types": [],
        },
        "files": [str(d) for d in declarations],
    }
    (work / "tsconfig.json").write_text(json.dumps(config))
    return subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", str(work / "tsconfig.json")],
        capture_output=True,
        text=True,
    )
