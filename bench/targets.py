"""The issue's targets, each checked against one run's rows."""

from __future__ import annotations

from bench.stats import Target

GEN = "generated"
BIG = "generated, 200 endpoints"
SMALL = "small app (hello_world)"

TARGETS = (
    Target("Python: zero requests at construction", "requests at construction", GEN, "max", 0),
    Target("Python: construction under 1 ms", "construction time", GEN, "max", 1.0),
    Target("Python: per call (sync) within 1.10x raw", "per call, sync", GEN, "ratio", 1.10),
    Target(
        "Python: per call (sync) p95 within 1.2x raw", "per call, sync", GEN, "ratio", 1.2, True
    ),
    Target("Python: per call (async) within 1.10x raw", "per call, async", GEN, "ratio", 1.10),
    Target(
        "Python: image call within 1.10x raw upload + call + download",
        "image: upload + call + download",
        GEN,
        "ratio",
        1.10,
    ),
    Target(
        "Python: 8-thread throughput at least 0.95x raw",
        "8 threads: throughput",
        GEN,
        "min_ratio",
        0.95,
    ),
    Target(
        "Python: first streamed output within 1.10x raw", "stream: first output", GEN, "ratio", 1.10
    ),
    Target(
        "Python: outputs as they arrive (first to last >= 72 ms of the 80 ms the app spaces them)",
        "stream: first to last output",
        GEN,
        "min",
        72,
    ),
    Target(
        "Python: cold process with one call within 1.10x raw",
        "process: import + construct + 1 call",
        GEN,
        "ratio",
        1.10,
    ),
    Target("Python: cold process peak memory under 35 MiB", "peak memory", GEN, "max", 35),
    Target(
        "Python: import at most `import httpx` + 30 ms",
        "import time",
        GEN,
        "over",
        30,
        other=("import time", "httpx alone"),
    ),
    Target(
        "Python: import at most `import httpx` + 30 ms, 200 endpoints",
        "import time",
        BIG,
        "over",
        30,
        other=("import time", "httpx alone"),
    ),
    Target("JS: zero requests at construction", "node: requests at construction", GEN, "max", 0),
    Target("JS: per call within 1.05x raw fetch", "node: per call", GEN, "ratio", 1.05),
    Target(
        "curl: per call within 1.10x raw two-step curl",
        "curl: per call",
        "generated script",
        "ratio",
        1.10,
    ),
    Target(
        "curl: per call p95 within 1.2x raw two-step curl",
        "curl: per call",
        "generated script",
        "ratio",
        1.2,
        True,
    ),
    Target(
        "generator: small app under 0.5 s", f"{SMALL}: whole process", "gradio-codegen", "max", 500
    ),
    Target(
        "generator: 200 endpoints under 1.5 s",
        "200 endpoints: whole process",
        "gradio-codegen",
        "max",
        1500,
    ),
    Target(
        "generator: 200 endpoints at least 3x faster than openapi-python-client",
        "200 endpoints: whole process",
        "gradio-codegen",
        "ratio",
        1 / 3,
    ),
    Target(
        "generator: output more compact than openapi-python-client's (200 endpoints)",
        "200 endpoints: Python lines written",
        "gradio-codegen",
        "ratio",
        1.0,
    ),
    Target(
        "generator: 200 endpoints at most 2.5x a one-endpoint app",
        "200 endpoints: whole process",
        "gradio-codegen",
        "times",
        2.5,
        other=(f"{SMALL}: whole process", "gradio-codegen"),
    ),
    Target(
        "generator: 2,000 endpoints under 30 s",
        "2,000 endpoints: whole process",
        "gradio-codegen",
        "max",
        30_000,
    ),
    Target(
        "generator: 2,000 endpoints under 600 MiB peak",
        "2,000 endpoints: peak memory",
        "gradio-codegen",
        "max",
        600,
    ),
    Target(
        "generator: regen --check of an up-to-date folder within 1.5x of reading its schemas",
        "200 endpoints, folder up to date",
        "gradio-codegen regen --check",
        "ratio",
        1.5,
    ),
    Target("generator: --help under 0.2 s", "--help", "gradio-codegen", "max", 200),
)
