"""One call of the generated Python client (sync or async) against a hostile app.

argv[1] is a JSON request: ``package_dir``, ``package``, ``mode`` ("sync" or "async"),
``base_url``, ``call`` ("echo" or "file": upload, call, then download), ``timeout``
(seconds), ``client`` (extra Client options), ``download`` (options of download()), ``dest``,
``upload`` (a local file). Prints one JSON line: what came back or the error's type and text,
``elapsed`` (seconds the call took) and ``end`` (time.time() when it ended). Then it stays a
second with the client open, so that a reader left running would still be seen by the server.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from typing import Any

LINGER = 1.0


def outcome(error: BaseException | None, **found: Any) -> dict[str, Any]:
    if error is None:
        return {"ok": True, **found}
    chain = [c.__name__ for c in type(error).__mro__]
    return {
        "ok": False,
        "error_type": type(error).__name__,
        "error_mro": chain,
        "error": str(error),
        **found,
    }


def run_sync(mod: Any, req: dict[str, Any]) -> dict[str, Any]:
    client = mod.Client(req["base_url"], timeout=req["timeout"], **client_options(req))
    found: dict[str, Any] = {"messages": [], "outputs": []}
    start = time.monotonic()
    error: BaseException | None = None
    try:
        if req["call"] == "echo":
            job = client.submit_json_echo(
                data="hello",
                on_message=lambda m: found["messages"].append([m.level, m.text, m.title]),
            )
            for output in job:
                found["outputs"].append(output)
            found["value"] = job.result()
        else:
            file = client.file_upper(file=req["upload"])
            found["file"] = file
            found["saved"] = str(client.download(file, req["dest"], **req.get("download", {})))
    except BaseException as exc:  # everything is reported, typed or not
        error = exc
    found.update(elapsed=time.monotonic() - start, end=time.time())
    print(json.dumps(outcome(error, **found), default=repr), flush=True)
    time.sleep(LINGER)
    return found


async def run_async(mod: Any, req: dict[str, Any]) -> None:
    client = mod.AsyncClient(req["base_url"], timeout=req["timeout"], **client_options(req))
    found: dict[str, Any] = {"messages": [], "outputs": []}
    start = time.monotonic()
    error: BaseException | None = None
    try:
        if req["call"] == "echo":
            job = await client.submit_json_echo(
                data="hello",
                on_message=lambda m: found["messages"].append([m.level, m.text, m.title]),
            )
            async for output in job:
                found["outputs"].append(output)
            found["value"] = await job.result()
        else:
            file = await client.file_upper(file=req["upload"])
            found["file"] = file
            found["saved"] = str(
                await client.download(file, req["dest"], **req.get("download", {}))
            )
    except BaseException as exc:
        error = exc
    found.update(elapsed=time.monotonic() - start, end=time.time())
    print(json.dumps(outcome(error, **found), default=repr), flush=True)
    await asyncio.sleep(LINGER)


def note(found: dict[str, Any]) -> Any:
    """An on_message that keeps each message as [level, text, title]."""
    return lambda m: found["messages"].append([m.level, m.text, m.title])


def client_options(req: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": "hf_SECRET_TOKEN",
        "headers": {"x-secret": "S3CRET-HEADER"},
        "auth": ("user", "pa55word"),
        **req.get("client", {}),
    }


def main() -> None:
    req = json.loads(sys.argv[1])
    sys.path.insert(0, req["package_dir"])
    mod = importlib.import_module(req["package"])
    if req["mode"] == "sync":
        run_sync(mod, req)
    else:
        asyncio.run(run_async(mod, req))


if __name__ == "__main__":
    main()
