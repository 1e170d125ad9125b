#!/usr/bin/env python
"""Serve the e2e Gradio test apps on 127.0.0.1.

Usage::

    python tests/e2e/serve.py basics media chat

Each argument is the name of a module in ``tests/e2e/apps/`` (or a path to a
``.py`` file) exposing a module-level ``demo`` (``gr.Blocks``). Every demo is
launched on its own free port; then exactly one JSON line mapping app name to
base URL is printed on stdout, e.g.::

    {"basics": "http://127.0.0.1:40123/", "media": "http://127.0.0.1:40124/"}

The script then blocks until stdin reaches EOF, closes all demos and exits 0.
Startup errors are written to stderr and the exit status is non-zero.
``SERVE_AUTH=user:password`` launches every app with that login (``launch(auth=...)``),
``SERVE_MAX_FILE_SIZE=1kb`` with that upload limit (``launch(max_file_size=...)``),
``SERVE_MCP=1`` with Gradio's own MCP server (``launch(mcp_server=True)``, 5.28+);
``SERVE_PORT=port[,port...]`` pins each app's port, in the order given, so that a restart
keeps its URL.

This file is deliberately standalone (no imports from the gradio-codegen
package) so it can be run by any Python that has gradio installed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import json
import os
import signal
import socket
import sys
import traceback
from pathlib import Path
from typing import Any

# Must be set before gradio is imported (gradio is only imported by the app
# modules loaded in main(), never at the top of this file).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_SSR_MODE"] = "false"

APPS_DIR = Path(__file__).resolve().parent / "apps"
HOST = "127.0.0.1"
LAUNCH_ATTEMPTS = 5


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _app_path(spec: str) -> tuple[str, Path]:
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        path = Path(spec).resolve()
        return path.stem, path
    return spec, APPS_DIR / f"{spec}.py"


def _load_demo(name: str, path: Path) -> Any:
    if not path.is_file():
        raise FileNotFoundError(f"app {name!r}: no such file {path}")
    module_name = f"_gradio_e2e_app_{name}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"app {name!r}: cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    demo = getattr(module, "demo", None)
    if demo is None:
        raise AttributeError(f"app {name!r}: {path} has no module-level 'demo'")
    return demo


def _launch(demo: Any, fixed_port: int | None = None) -> str:
    params = inspect.signature(demo.launch).parameters
    kwargs: dict[str, Any] = {
        "prevent_thread_lock": True,
        "server_name": HOST,
        "quiet": True,
    }
    if "ssr_mode" in params:
        kwargs["ssr_mode"] = False
    # SERVE_MAX_FILE_SIZE=1kb: launch(max_file_size=...), the largest upload the apps take
    if os.environ.get("SERVE_MAX_FILE_SIZE") and "max_file_size" in params:
        kwargs["max_file_size"] = os.environ["SERVE_MAX_FILE_SIZE"]
    # SERVE_AUTH=user:password puts every app of this process behind Gradio's login
    auth = os.environ.get("SERVE_AUTH")
    if auth:
        user, _, password = auth.partition(":")
        kwargs["auth"] = (user, password)
    if os.environ.get("SERVE_MCP") == "1":
        kwargs["mcp_server"] = True
    last_error: BaseException | None = None
    for _ in range(1 if fixed_port else LAUNCH_ATTEMPTS):
        port = fixed_port or _free_port()
        try:
            demo.launch(server_port=port, **kwargs)
        except OSError as exc:  # port grabbed by someone else in the meantime
            last_error = exc
            with contextlib.suppress(Exception):
                demo.close()
            continue
        return f"http://{HOST}:{port}/"
    raise RuntimeError(f"could not launch after {LAUNCH_ATTEMPTS} attempts: {last_error}")


def _close_all(demos: list[Any]) -> None:
    for demo in reversed(demos):
        try:
            demo.close()
        except Exception:
            traceback.print_exc(file=sys.stderr)


def main(argv: list[str]) -> int:
    if not argv:
        print(f"usage: {Path(sys.argv[0]).name} APP [APP ...]", file=sys.stderr)
        return 2

    # Keep the real stdout for the single JSON line; anything else written to
    # fd 1 (gradio banners, warnings printed by libraries) goes to stderr.
    sys.stdout.flush()
    result_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    # Turn SIGTERM into a clean shutdown.
    def _on_sigterm(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, _on_sigterm)

    # SERVE_PORT pins each app's port, so that a restart keeps its URL
    fixed = [int(p) for p in os.environ.get("SERVE_PORT", "").split(",") if p.strip()]
    if fixed and len(fixed) != len(argv):
        print("serve.py: SERVE_PORT needs one port per app", file=sys.stderr)
        return 2
    demos: list[Any] = []
    urls: dict[str, str] = {}
    try:
        for i, spec in enumerate(argv):
            name, path = _app_path(spec)
            if name in urls:
                raise ValueError(f"app {name!r} given twice")
            demo = _load_demo(name, path)
            demos.append(demo)
            urls[name] = _launch(demo, fixed[i] if fixed else None)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        print("serve.py: startup failed", file=sys.stderr)
        _close_all(demos)
        return 1

    result_out.write(json.dumps(urls) + "\n")
    result_out.flush()

    try:
        # Block until the parent closes our stdin.
        while sys.stdin.read(65536):
            pass
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        _close_all(demos)
        with contextlib.suppress(Exception):
            result_out.close()
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stderr.flush()
    # Gradio may leave non-daemon threads around; do not wait for them.
    os._exit(code)
