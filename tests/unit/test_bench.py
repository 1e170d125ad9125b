"""The bench's pure helpers: its synthetic schema is one the generator accepts whole, and its
statistics say met or missed the way the targets read."""

from __future__ import annotations

import json
from pathlib import Path

from bench import shell, synth
from bench.stats import Results, Row, Target, summarize
from codegen.pipeline import Options, plan
from codegen.source import read_source


def test_the_synthetic_schema_generates_every_endpoint(tmp_path: Path) -> None:
    openapi = synth.write(tmp_path, 45)
    app, files = plan(read_source(str(openapi), None), Options(base_url="http://127.0.0.1:1"))
    assert len(app.endpoints) == 45
    assert len({e.api_name for e in app.endpoints}) == 45
    assert sum(f.relpath.suffix == ".sh" for f in files) == 45


def test_the_repaired_copy_keeps_only_standard_types() -> None:
    doc = {"info": {"title": None}, "a": {"type": {}}, "b": [{"type": "filepath"}]}
    fixed = synth.repaired(doc, "app")
    assert fixed == {"info": {"title": "app"}, "a": {}, "b": [{"type": "string"}]}
    assert "filepath" not in json.dumps(fixed)


def test_p95_is_on_the_bad_side_and_targets_compare_with_the_baseline() -> None:
    assert summarize([1.0, 2.0, 3.0]).median == 2.0
    assert summarize([float(i) for i in range(101)]).p95 == 95.0
    assert summarize([float(i) for i in range(101)], higher_is_better=True).p95 == 5.0
    results = Results(
        [
            Row("s", "call", "ours", "ms", summarize([10.5]), "raw"),
            Row("s", "call", "raw", "ms", summarize([10.0])),
        ]
    )
    assert Target("t", "call", "ours", "ratio", 1.10).check(results).met is True
    assert Target("t", "call", "ours", "ratio", 1.01).check(results).met is False
    assert Target("t", "call", "ours", "over", 1.0, other=("call", "raw")).check(results).met
    assert Target("t", "nothing", "ours", "max", 1).check(results).met is None


def test_process_count_takes_forks_and_clones_but_not_threads() -> None:
    trace = "\n".join(
        [
            '10 execve("/usr/bin/bash", ["bash", "x.sh"], 0x1 /* 3 vars */) = 0',
            "10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0x2) = 11",
            '11 execve("/usr/bin/curl", ["curl"], 0x3 /* 3 vars */) = 0',
            "11 clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_SETTLS, exit_signal=0}, 88) = 12",
            "10 vfork() = 13",
            "10 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11} ---",
            "10 +++ exited with 0 +++",
        ]
    )
    assert shell.spawned(trace) == 3
    assert shell.spawned('10 execve("/usr/bin/bash", ["bash"], 0x1) = 0\n') == 1
