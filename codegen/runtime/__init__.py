"""Static files copied verbatim into generated packages: real code, linted and tested here."""

from pathlib import Path

_HERE = Path(__file__).parent
RUNTIME_DIR = _HERE / "gradio_runtime"
# the Python runtime package's modules, shipped as ``<package>/_runtime/``; sorted, so that
# every run plans them in the same order
RUNTIME_FILES = tuple(sorted(RUNTIME_DIR.glob("*.py")))
JS_RUNTIME_PATH = _HERE / "gradio_runtime.js"
JS_RUNTIME_TYPES_PATH = _HERE / "gradio_runtime.d.ts"
SH_RUNTIME_PATH = _HERE / "gradio_runtime.bash"
MCP_RUNTIME_PATH = _HERE / "mcp_server.py"
