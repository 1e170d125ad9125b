"""Runs a client command and measures it: ``python measure.py LIMIT CMD...``.

Prints one JSON line: ``rc``, ``wall`` (seconds until the command exited), ``maxrss_kb``
(the peak resident memory, VmHWM, of the biggest process it ran: ``ru_maxrss`` of this
wrapper's children), ``stdout``, ``stderr`` and ``leftovers``: processes of the command still
alive once it exited. This wrapper makes itself the subreaper of what it starts, so a process
the command left behind (a curl that outlives its script) becomes its child and is seen,
counted and killed. After LIMIT seconds the command is killed (``rc`` -9).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

PR_SET_CHILD_SUBREAPER = 36


def children() -> list[int]:
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            found.append(int(entry))
    return found


def main() -> None:
    limit = float(sys.argv[1])
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    start = time.monotonic()
    # files, not pipes: a process left behind holding a pipe would keep us waiting
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(sys.argv[2:], stdout=out, stderr=err)
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        wall = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    time.sleep(0.3)  # a process left behind has been reparented to us by now
    leftovers = children()
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    for _ in leftovers:
        try:
            os.wait()
        except ChildProcessError:
            break
    print(
        json.dumps(
            {
                "rc": proc.returncode,
                "wall": wall,
                "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                "stdout": stdout.decode("utf-8", "replace"),
                "stderr": stderr.decode("utf-8", "replace"),
                "leftovers": len(leftovers),
            }
        )
    )


if __name__ == "__main__":
    main()
