"""One cold process: import a client, construct it, make one call; print the timings as JSON.

Run as ``python bench/cold.py TOOL URL [PYTHON_DIR PACKAGE]`` by ``bench.coldstart``; it
imports nothing it does not measure, so each tool pays only for itself.
"""

import sys
import time

TOOLS = ("import httpx", "generated", "gradio_client", "raw httpx", "import only")


def main(tool: str, url: str, python_dir: str = "", package: str = "") -> None:
    start = time.perf_counter()
    if tool == "import httpx":
        import httpx  # noqa: F401

        imported = constructed = called = time.perf_counter()
    elif tool in ("generated", "import only"):
        sys.path.insert(0, python_dir)
        gen = __import__(package)
        imported = time.perf_counter()
        client = gen.Client(base_url=url)
        constructed = time.perf_counter()
        if tool == "generated":
            client.echo(text="hi")
        called = time.perf_counter()
    elif tool == "gradio_client":
        from gradio_client import Client

        imported = time.perf_counter()
        official = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        constructed = time.perf_counter()
        official.predict("hi", api_name="/echo")
        called = time.perf_counter()
    else:
        sys.path.insert(0, python_dir)
        from bench.raw import RawClient

        imported = time.perf_counter()
        raw = RawClient(url)
        constructed = time.perf_counter()
        raw.call("echo", ["hi"])
        called = time.perf_counter()
    peak_kib = _peak_kib()
    print(
        f'{{"import": {imported - start}, "construct": {constructed - imported}, '
        f'"call": {called - constructed}, "peak_mib": {peak_kib / 1024}}}',
        flush=True,
    )


def _peak_kib() -> float:
    """VmHWM, the peak resident set of this program: unlike ru_maxrss, it does not carry
    over the parent's memory from before the exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main(*sys.argv[1:])
