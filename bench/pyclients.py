"""Sections 1 and 3 for Python: the generated client, ``gradio_client`` and a raw httpx loop.

All three call the same live app in this process. Calls are interleaved (one call of each
tool per round, in rotating order) so that load from elsewhere on the machine falls on all
of them alike.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from bench.counts import Counts
from bench.raw import AsyncRawClient, RawClient
from bench.stats import Results, Row, summarize

GEN = "generated"
OFFICIAL = "gradio_client"
RAW = "raw httpx"


# -- helpers ----------------------------------------------------------------------------------


@contextmanager
def counting_requests() -> Iterator[list[str]]:
    """Records every request that any httpx client sends (gradio_client's included)."""
    seen: list[str] = []
    sync_send = httpx.HTTPTransport.handle_request
    async_send = httpx.AsyncHTTPTransport.handle_async_request

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return sync_send(self, request)

    async def handle_async(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> Any:
        seen.append(f"{request.method} {request.url.path}")
        return await async_send(self, request)

    httpx.HTTPTransport.handle_request = handle  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = handle_async  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        httpx.HTTPTransport.handle_request = sync_send  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = async_send  # type: ignore[method-assign]


def load_generated(python_dir: Path, package: str) -> ModuleType:
    sys.path.insert(0, str(python_dir))
    return importlib.import_module(package)


def official_client(url: str, download_files: str | bool = False) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False, download_files=download_files, analytics_enabled=False)


def _ms(seconds: float) -> float:
    return seconds * 1000


Timed = tuple[float, float, Any]  # start, end (perf_counter seconds), what the call returned


def rounds(tools: dict[str, Callable[[], Any]], n: int) -> dict[str, list[Timed]]:
    """``n`` timed calls of each tool after one warm-up each: interleaved, the order rotating,
    except gradio_client, which runs in a block of its own afterwards because its threads go
    on working after a call returns and slowed whichever tool came next."""
    together = [name for name in tools if name != OFFICIAL]
    samples: dict[str, list[Timed]] = {name: [] for name in tools}
    for fn in tools.values():
        fn()

    def timed(name: str) -> None:
        start = time.perf_counter()
        value = tools[name]()
        samples[name].append((start, time.perf_counter(), value))

    for i in range(n):
        k = i % len(together)
        for name in together[k:] + together[:k]:
            timed(name)
    for name in tools:
        if name not in together:
            for _ in range(n):
                timed(name)
    return samples


def interleaved(tools: dict[str, Callable[[], object]], n: int) -> dict[str, list[float]]:
    """Milliseconds per call, from ``rounds``."""
    return {
        name: [_ms(end - start) for start, end, _ in timed]
        for name, timed in rounds(tools, n).items()
    }


def _rows(
    results: Results,
    section: str,
    case: str,
    samples: dict[str, list[float]],
    unit: str = "ms",
    higher_is_better: bool = False,
) -> None:
    for tool, values in samples.items():
        baseline = RAW if tool != RAW and RAW in samples else None
        stat = summarize(values, higher_is_better)
        results.add(Row(section, case, tool, unit, stat, baseline, higher_is_better))


# -- 1. construction --------------------------------------------------------------------------


def construction(results: Results, url: str, gen: ModuleType, counts: Counts) -> None:
    section = "1 construction"

    def timed(make: Callable[[], Any], n: int) -> list[float]:
        out = []
        for _ in range(n):
            start = time.perf_counter()
            client = make()
            out.append(_ms(time.perf_counter() - start))
            client.close()
        return out

    makers: dict[str, tuple[Callable[[], Any], int]] = {
        GEN: (lambda: gen.Client(base_url=url), counts.construct),
        OFFICIAL: (lambda: official_client(url), counts.construct_official),
        RAW: (httpx.Client, counts.construct),
    }
    _rows(results, section, "construction time", {t: timed(*m) for t, m in makers.items()})
    for tool, (make, _) in makers.items():
        with counting_requests() as seen:
            make().close()
        count = summarize([float(len(seen))])
        results.add(Row(section, "requests at construction", tool, "requests", count))


# -- 3. steady state --------------------------------------------------------------------------


def per_call(results: Results, url: str, gen: ModuleType, src: Path, counts: Counts) -> None:
    section = "3 steady state"
    ours, theirs, raw = gen.Client(base_url=url), official_client(url), RawClient(url)
    try:
        samples = interleaved(
            {
                GEN: lambda: ours.echo(text="hi"),
                OFFICIAL: lambda: theirs.predict("hi", api_name="/echo"),
                RAW: lambda: raw.call("echo", ["hi"]),
            },
            counts.calls,
        )
        _rows(results, section, "per call, sync", samples)
        _rows(
            results,
            section,
            "8 threads: throughput",
            throughput(results, ours, theirs, raw, counts),
            "calls/s",
            True,
        )
        streaming(results, ours, theirs, raw, counts)
        image(results, ours, theirs, raw, url, src, counts)
    finally:
        ours.close()
        theirs.close()
        raw.close()
    _rows(
        results, section, "per call, async", asyncio.run(_async_calls(url, gen, counts.async_calls))
    )


async def _async_calls(url: str, gen: ModuleType, n: int) -> dict[str, list[float]]:
    """The async client against an httpx.AsyncClient loop; gradio_client has no async calls."""
    ours, raw = gen.AsyncClient(base_url=url), AsyncRawClient(url)
    tools = {GEN: lambda: ours.echo(text="hi"), RAW: lambda: raw.call("echo", ["hi"])}
    samples: dict[str, list[float]] = {name: [] for name in tools}
    try:
        for fn in tools.values():
            await fn()
        for i in range(n):
            for name in list(tools) if i % 2 else list(tools)[::-1]:
                start = time.perf_counter()
                await tools[name]()
                samples[name].append(_ms(time.perf_counter() - start))
    finally:
        await ours.aclose()
        await raw.aclose()
    return samples


def throughput(
    results: Results, ours: Any, theirs: Any, raw: RawClient, counts: Counts
) -> dict[str, list[float]]:
    """Successful calls per second with 8 threads sharing one client, as a web server's
    workers would; failed calls are counted in their own row (gradio_client has some)."""
    calls = {
        GEN: lambda: ours.echo(text="hi"),
        OFFICIAL: lambda: theirs.predict("hi", api_name="/echo"),
        RAW: lambda: raw.call("echo", ["hi"]),
    }
    samples: dict[str, list[float]] = {name: [] for name in calls}
    failed = dict.fromkeys(calls, 0.0)
    names = list(calls)
    with ThreadPoolExecutor(8) as pool:
        for i in range(counts.thread_rounds):
            for name in names[i % 3 :] + names[: i % 3]:
                start = time.perf_counter()
                lost = sum(pool.map(_repeat(calls[name], counts.thread_calls), range(8)))
                done = 8 * counts.thread_calls - lost
                samples[name].append(done / (time.perf_counter() - start))
                failed[name] += lost
    for name, lost in failed.items():
        stat = summarize([lost])
        results.add(Row("3 steady state", "8 threads: failed calls", name, "calls", stat))
    return samples


def _repeat(fn: Callable[[], object], n: int) -> Callable[[int], int]:
    """A worker making ``n`` calls; it returns how many failed."""

    def worker(_: int) -> int:
        lost = 0
        for _ in range(n):
            try:
                fn()
            except Exception:
                lost += 1
        return lost

    return worker


STREAM_N = 5
STREAM_DELAY = 0.02


def streaming(results: Results, ours: Any, theirs: Any, raw: RawClient, counts: Counts) -> None:
    """Time to the first of 5 outputs 20 ms apart, and to the last; outputs buffered until
    the end would show as a spread between first and last well under 80 ms."""

    def ours_outputs() -> Iterator[Any]:
        return iter(ours.submit_stream(n=STREAM_N, delay=STREAM_DELAY))

    def theirs_outputs() -> Iterator[Any]:
        return iter(theirs.submit(STREAM_N, STREAM_DELAY, api_name="/stream"))

    def raw_outputs() -> Iterator[Any]:
        return (
            p[0] for e, p in raw.events("stream", [STREAM_N, STREAM_DELAY]) if e == "generating"
        )

    def arrivals(outputs: Callable[[], Iterator[Any]]) -> Callable[[], list[float]]:
        return lambda: [time.perf_counter() for _ in outputs()]

    tools = {GEN: ours_outputs, OFFICIAL: theirs_outputs, RAW: raw_outputs}
    timed = rounds({name: arrivals(fn) for name, fn in tools.items()}, counts.streams)
    for name, calls in timed.items():
        if any(len(seen) != STREAM_N for _, _, seen in calls):
            raise RuntimeError(f"{name} did not give {STREAM_N} outputs every time")
    first = {name: [_ms(seen[0] - start) for start, _, seen in c] for name, c in timed.items()}
    total = {name: [_ms(end - start) for start, end, _ in c] for name, c in timed.items()}
    spread = {name: [_ms(seen[-1] - seen[0]) for _, _, seen in c] for name, c in timed.items()}
    _rows(results, "3 steady state", "stream: first output", first)
    _rows(results, "3 steady state", "stream: total", total)
    _rows(results, "3 steady state", "stream: first to last output", spread)


def make_image(folder: Path) -> Path:
    """A 256x256 PNG with enough detail not to compress to nothing (about 200 KB)."""
    from PIL import Image

    path = folder / "input.png"
    Image.effect_mandelbrot((256, 256), (-2.0, -1.5, 1.0, 1.5), 100).convert("RGB").resize(
        (256, 256)
    ).save(path)
    noise = Image.effect_noise((256, 256), 64).convert("RGB")
    Image.blend(Image.open(path), noise, 0.5).save(path)
    return path


def image(
    results: Results, ours: Any, theirs: Any, raw: RawClient, url: str, src: Path, counts: Counts
) -> None:
    """Upload, call, and download the image output, each tool into its own folder."""
    from gradio_client import handle_file

    with tempfile.TemporaryDirectory(prefix="bench_image_") as tmp:
        folder = Path(tmp)
        theirs_dl = official_client(url, download_files=str(folder / "theirs"))
        (folder / "ours").mkdir()
        raw_dest = folder / "raw.png"

        def raw_call() -> None:
            out = raw.call("mirror", [raw.upload(src)])
            raw.download(out[0], raw_dest)

        try:
            samples = interleaved(
                {
                    GEN: lambda: ours.download(ours.mirror(image=str(src)), folder / "ours"),
                    OFFICIAL: lambda: theirs_dl.predict(handle_file(str(src)), api_name="/mirror"),
                    RAW: raw_call,
                },
                counts.images,
            )
        finally:
            theirs_dl.close()
    _rows(results, "3 steady state", "image: upload + call + download", samples)


def run(
    results: Results, url: str, python_dir: Path, package: str, image: Path, counts: Counts
) -> None:
    gen = load_generated(python_dir, package)
    construction(results, url, gen, counts)
    per_call(results, url, gen, image, counts)
