#!/usr/bin/env python
"""Call live test apps with the ``gradio_client`` of the interpreter that runs this file.

Usage: ``python tests/e2e/oracle.py < calls.json > results.json``, where ``calls.json`` is
``[{"url": ..., "api_name": "/greet", "kwargs": {...}}, ...]`` and a kwarg value
``{"$file": "/local/path"}`` (or a list of them) is a file input. Each result line is
``{"result": ...}`` or ``{"error": "<message>"}``, in the order of the calls; each app gets
one client, so calls of one app share a session.

Deliberately standalone (like ``serve.py``): the old Gradio venvs run it, so the version's own
official client is the oracle for the apps that version serves.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from typing import Any

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"


def _files(value: Any) -> Any:
    from gradio_client import handle_file

    if isinstance(value, dict) and set(value) == {"$file"}:
        return handle_file(value["$file"])
    if isinstance(value, list):
        return [_files(v) for v in value]
    return value


def _positional(client: Any, api_name: str, kwargs: dict[str, Any]) -> list[Any]:
    """``predict`` takes ``self``, ``api_name``, ... itself: such inputs go by position."""
    info = client.view_api(return_format="dict", print_info=False)
    values = []
    for param in info["named_endpoints"][api_name]["parameters"]:
        name = param["parameter_name"]
        values.append(kwargs[name] if name in kwargs else param.get("parameter_default"))
    return values


def main() -> int:
    from gradio_client import Client

    calls = json.load(sys.stdin)
    options: dict[str, Any] = {"verbose": False}
    if "download_files" in inspect.signature(Client.__init__).parameters:
        options["download_files"] = False
    clients: dict[str, Any] = {}
    results = []
    for call in calls:
        url = call["url"]
        if url not in clients:
            clients[url] = Client(url, **options)
        kwargs = {k: _files(v) for k, v in call["kwargs"].items()}
        client, api_name = clients[url], call["api_name"]
        try:
            if {"self", "api_name", "fn_index"} & set(kwargs):
                result = client.predict(*_positional(client, api_name, kwargs), api_name=api_name)
            else:
                result = client.predict(**kwargs, api_name=api_name)
        except Exception as exc:
            results.append({"error": f"{type(exc).__name__}: {exc}"})
        else:
            results.append({"result": result})
    json.dump(results, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
