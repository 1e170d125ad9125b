"""The raw two-step loop: what the protocol itself costs, the baseline of every ratio.

Imports nothing but httpx, so the cold-start process that uses it pays only for httpx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx


def _sse(lines: Iterator[str]) -> Iterator[tuple[str, Any]]:
    event = ""
    for line in lines:
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:") and event in ("generating", "complete", "error"):
            yield event, json.loads(line[5:])


class RawClient:
    """POST /gradio_api/call/{name} for an event id, then read GET .../{event_id} (SSE)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/") + "/gradio_api"
        self.http = httpx.Client(timeout=60)

    def events(self, name: str, data: list[Any]) -> Iterator[tuple[str, Any]]:
        answer = self.http.post(f"{self.base}/call/{name}", json={"data": data})
        event_id = answer.raise_for_status().json()["event_id"]
        with self.http.stream("GET", f"{self.base}/call/{name}/{event_id}") as response:
            for event, payload in _sse(response.iter_lines()):
                if event == "error":
                    raise RuntimeError(payload)
                yield event, payload
                if event == "complete":
                    return

    def call(self, name: str, data: list[Any]) -> list[Any]:
        for event, payload in self.events(name, data):
            if event == "complete":
                return list(payload)
        raise RuntimeError("no result")

    def upload(self, path: Path) -> dict[str, Any]:
        with path.open("rb") as f:
            answer = self.http.post(f"{self.base}/upload", files={"files": (path.name, f)})
        return {"path": answer.raise_for_status().json()[0], "meta": {"_type": "gradio.FileData"}}

    def download(self, file: dict[str, Any], dest: Path) -> None:
        with self.http.stream("GET", file["url"]) as response, dest.open("wb") as out:
            for chunk in response.raise_for_status().iter_bytes():
                out.write(chunk)

    def close(self) -> None:
        self.http.close()


class AsyncRawClient:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/") + "/gradio_api"
        self.http = httpx.AsyncClient(timeout=60)

    async def call(self, name: str, data: list[Any]) -> list[Any]:
        answer = await self.http.post(f"{self.base}/call/{name}", json={"data": data})
        event_id = answer.raise_for_status().json()["event_id"]
        async with self.http.stream("GET", f"{self.base}/call/{name}/{event_id}") as response:
            event = ""
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "complete":
                    return list(json.loads(line[5:]))
                elif line.startswith("data:") and event == "error":
                    raise RuntimeError(line)
        raise RuntimeError("no result")

    async def aclose(self) -> None:
        await self.http.aclose()
