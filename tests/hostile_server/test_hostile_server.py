"""The generated clients against a hostile server: each attack x each client.

The server (``server.py``) speaks Gradio's routes and misbehaves one way per attack; each
client (Python sync, Python async, JavaScript under node, the curl scripts) makes one call in
its own process under ``measure.py``. For every run the test asserts:

- the outcome: the value, or the error's type (a ``GradioClientError`` subclass; for curl the
  documented exit code and one ``error:`` line);
- time: the call ends within its timeout plus ``MARGIN``;
- memory: the client process's peak (VmHWM) stays under the attack's bound;
- no secret (token, header, login cookie, password) reached the other origin;
- no file outside the download folder and none over the user's own;
- nothing after the call: no request the server sees after it ended, no process left.

``pytest tests/hostile_server -s`` prints the table of timings and memory peaks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from codegen.pipeline import Options, generate
from tests.hostile_server import server as srv
from tests.paths import SCHEMAS

HERE = Path(__file__).parent
JS_DIR = HERE.parent / "js"
MARGIN = 1.5  # seconds a call may take past its timeout (the clients' own overhead)
CLIENTS = ("py_sync", "py_async", "js", "curl")
# peak memory (MiB) of a plain call, per client; an attack may allow more
BOUNDS = {"py_sync": 120, "py_async": 120, "js": 160, "curl": 40}
USER_FILE = "user's own file\n"
RESULTS: list[dict[str, Any]] = []


@dataclass(frozen=True)
class Attack:
    name: str
    what: str
    call: str = "echo"  # or "file": upload, call, download
    timeout: float = 10.0
    # "ok", or the error's type name in Python and JS ("GradioClientError" takes any)
    expect: str = "ok"
    curl_rc: int | None = 0  # None: the curl scripts do not take part (they never download)
    extra_mib: int = 0  # memory allowed above the client's bound
    download: dict[str, Any] = field(default_factory=dict)
    curl_env: dict[str, str] = field(default_factory=dict)
    check: Callable[[dict[str, Any], Path], None] | None = None
    curl_check: Callable[[dict[str, Any]], None] | None = None


def _control_free(text: str) -> bool:
    return not any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in text)


def check_line_breaks(found: dict[str, Any], dest: Path) -> None:
    assert found["value"] == srv.BROKEN + "!"
    assert found["outputs"][0] == srv.BROKEN
    assert found["messages"] == [["info", srv.BROKEN, srv.BROKEN]]


def check_broken_error(found: dict[str, Any], dest: Path) -> None:
    assert found["error"] == srv.BROKEN


def check_escapes_kept(found: dict[str, Any], dest: Path) -> None:
    # the libraries give the app's text as it is: they print nothing
    assert found["error"] == srv.ESCAPES


def curl_line_breaks(run: dict[str, Any]) -> None:
    # not splitlines(): the JSON holds a raw U+2028 and U+0085
    assert json.loads(run["stdout"].split("\n")[0]) == [srv.BROKEN]
    assert json.loads(run["stdout"].split("\n")[1]) == [srv.BROKEN + "!"]
    assert run["stderr"].count("\n") == 1, run["stderr"]  # one info line
    assert run["stderr"].startswith("info: ")
    assert _control_free(run["stderr"].rstrip("\n"))


def curl_one_clean_line(run: dict[str, Any]) -> None:
    assert run["stderr"].count("\n") == 1, run["stderr"]
    assert run["stderr"].startswith("error: ")
    assert _control_free(run["stderr"].rstrip("\n")), run["stderr"]


def curl_escapes(run: dict[str, Any]) -> None:
    out = run["stdout"] + run["stderr"]
    assert _control_free(out.replace("\n", "")), out
    assert run["stderr"].count("\n") == 2, run["stderr"]  # the warning, then the error
    assert "\\u001b]0;pwned" in run["stderr"]


def fresh_copy(found: dict[str, Any], dest: Path) -> None:
    saved = Path(found["saved"])
    assert saved.read_bytes() == b"the server's bytes\n"
    assert saved.parent != dest and saved.parent.parent == dest, saved  # its own subfolder
    assert _control_free(saved.name) and saved.name.strip(), saved


def clean_name(found: dict[str, Any], dest: Path) -> None:
    fresh_copy(found, dest)
    assert Path(found["saved"]).name == "ab[2Jc.txt"


ATTACKS = [
    Attack("baseline", "a well-behaved app (the reference numbers)", check=None),
    Attack(
        "line_breaks",
        "U+0085, U+2028, U+2029, VT, FF, FS, GS, RS in an info, a streamed output and the "
        "result; events ending in \\n, \\r\\n and a lone \\r",
        check=check_line_breaks,
        curl_check=curl_line_breaks,
    ),
    Attack(
        "line_breaks_error",
        "the same characters in an error and its title",
        expect="GradioError",
        curl_rc=1,
        check=check_broken_error,
        curl_check=curl_one_clean_line,
    ),
    Attack(
        "terminal_escapes",
        "ESC, BEL, CSI and NUL sequences in a warning and an error",
        expect="GradioError",
        curl_rc=1,
        check=check_escapes_kept,
        curl_check=curl_escapes,
    ),
    Attack(
        "post_slow",
        "the POST's answer trickles, one byte a second",
        timeout=2,
        expect="GradioTimeoutError",
        curl_rc=4,
    ),
    Attack(
        "stream_endless",
        "the stream sends heartbeats, never a result",
        timeout=2,
        expect="GradioTimeoutError",
        curl_rc=4,
    ),
    Attack(
        "stream_trickle",
        "the stream trickles, a byte every 0.3 s",
        timeout=2,
        expect="GradioTimeoutError",
        curl_rc=4,
    ),
    Attack(
        "close_only",
        "every stream answers close_stream at once",
        timeout=4,
        expect="GradioConnectionError",
        curl_rc=1,
    ),
    # bash reads a pipe a byte at a time (~0.4 MB/s here with read -n): curl gets a 1 MiB limit
    Attack(
        "huge_line",
        "one event-stream line of 160 MiB",
        timeout=20,
        expect="LimitExceededError",
        curl_rc=3,
        extra_mib=200,
        curl_env={"GRADIO_MAX_MESSAGE_BYTES": str(srv.MiB)},
    ),
    Attack(
        "orphan_flood",
        "~1 KiB messages for unknown event ids, without end",
        timeout=3,
        expect="LimitExceededError",
        curl_rc=4,
    ),
    # curl: exit 3 (deeper than 1000) once bash has cut the text, or 4 when that outlasts the
    # deadline on a slow machine; either within the timeout
    Attack(
        "deep_json",
        "a result nested 100,000 deep",
        timeout=10,
        expect="ok|ProtocolError",
        curl_rc=3,
        extra_mib=80,
    ),
    Attack(
        "stream_nonjson", "a stream message that is not JSON", expect="ProtocolError", curl_rc=3
    ),
    Attack("post_nonjson", "the POST answers HTML", expect="ProtocolError"),
    Attack("post_no_event_id", "the POST answers JSON without event_id", expect="ProtocolError"),
    Attack("post_array", "the POST answers a JSON array", expect="ProtocolError"),
    Attack("upload_42", "/upload answers 42", call="file", expect="ProtocolError", curl_rc=3),
    Attack(
        "upload_slow",
        "/upload's answer trickles",
        call="file",
        timeout=2,
        expect="GradioTimeoutError",
        curl_rc=4,
    ),
    Attack(
        "download_overwrite",
        "a file named like the user's victim.txt",
        call="file",
        curl_rc=None,
        check=fresh_copy,
    ),
    Attack("download_dotfile", "a file named .bashrc", call="file", curl_rc=None, check=fresh_copy),
    Attack(
        "download_control_name",
        "a file name with NUL, ESC and NEL",
        call="file",
        curl_rc=None,
        check=clean_name,
    ),
    Attack(
        "download_slow",
        "the file trickles without end",
        call="file",
        curl_rc=None,
        expect="GradioTimeoutError",
        download={"timeout": 2},
        timeout=10,
    ),
    Attack(
        "download_huge",
        "a 2 GiB file, fast",
        call="file",
        curl_rc=None,
        expect="LimitExceededError",
        download={"max_bytes": 32 * srv.MiB},
    ),
    Attack(
        "download_redirect",
        "/file= redirects to the other origin",
        call="file",
        curl_rc=None,
        expect="ok",
    ),
    Attack(
        "file_elsewhere",
        "a result file (is_stream) on the other origin",
        call="file",
        curl_rc=None,
        expect="ok",
    ),
]


@pytest.fixture(scope="module")
def servers() -> Iterator[srv.Servers]:
    with srv.serving() as running:
        yield running


@pytest.fixture(scope="module")
def client_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The media app's clients, generated once from its saved schema."""
    out = tmp_path_factory.mktemp("hostile_clients")
    generate(str(SCHEMAS / "e2e_media"), out, Options(name="hostile_media"), token=None)
    return out


@pytest.fixture(scope="module", autouse=True)
def table() -> Iterator[None]:
    yield
    if RESULTS:
        print("\n" + render_table(RESULTS))


def render_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| attack | " + " | ".join(CLIENTS) + " |", "|---" * (len(CLIENTS) + 1) + "|"]
    by = {(r["attack"], r["client"]): r for r in rows}
    for attack in dict.fromkeys(r["attack"] for r in rows):
        cells = []
        for client in CLIENTS:
            r = by.get((attack, client))
            cells.append(
                "n/a" if r is None else f"{r['outcome']}, {r['seconds']:.2f} s, {r['mib']:.0f} MiB"
            )
        lines.append(f"| {attack} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def measure(argv: list[str], limit: float, cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), str(limit), *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=limit + 30,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    result["exited"] = time.time() - 0.3  # measure.py waits 0.3 s for leftovers after the exit
    return result


# every attack against every client, but the download attacks against curl: the curl
# scripts print file results and download nothing
RUNS = [
    pytest.param(attack, client, id=f"{attack.name}-{client}")
    for attack in ATTACKS
    for client in CLIENTS
    if client != "curl" or attack.curl_rc is not None
]


@pytest.mark.parametrize(("attack", "client"), RUNS)
def test_attack(
    attack: Attack, client: str, servers: srv.Servers, client_dir: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    dest = work / "downloads"
    dest.mkdir(parents=True)
    (dest / "victim.txt").write_text(USER_FILE)
    (work / ".bashrc").write_text(USER_FILE)
    upload = tmp_path / "in.txt"
    upload.write_text("to upload\n")
    token = tmp_path / "token"
    token.write_text("hf_SECRET_TOKEN\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    base = f"{servers.app}/{attack.name}"
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "GRADIO_TIMEOUT")}
    started = time.time()
    limit = attack.timeout + 20

    if client == "curl":
        script = (
            client_dir / "curl" / ("json_echo.sh" if attack.call == "echo" else "file_upper.sh")
        )
        args = ["data=hello"] if attack.call == "echo" else [f"file=@{upload}"]
        env.update(GRADIO_URL=base, GRADIO_AUTH="user:pa55word", GRADIO_TIMEOUT=str(attack.timeout))
        env.update(attack.curl_env)
        run = measure(
            ["bash", str(script), "--stream", "--token-file", str(token), *args], limit, work, env
        )
        found: dict[str, Any] = {"elapsed": run["wall"], "end": run["exited"]}
        outcome = f"exit {run['rc']}"
    else:
        request = {
            "base_url": base,
            "call": attack.call,
            "timeout": attack.timeout,
            "dest": str(dest),
            "upload": str(upload),
            "download": attack.download,
        }
        if client == "js":
            request["client"] = str(client_dir / "js" / "index.js")
            argv = [shutil.which("node") or "node", str(HERE / "drive.mjs"), json.dumps(request)]
        else:
            request.update(
                package_dir=str(client_dir / "python"),
                package="hostile_media",
                mode=client.removeprefix("py_"),
            )
            argv = [sys.executable, str(HERE / "drive.py"), json.dumps(request)]
        run = measure(argv, limit, work, env)
        assert run["stdout"].strip(), f"no report (rc {run['rc']}): {run['stderr'][-2000:]}"
        found = json.loads(run["stdout"].split("\n")[0])  # not splitlines(): U+2028 is no line end
        outcome = "ok" if found["ok"] else found["error_type"]

    mib = run["maxrss_kb"] / 1024
    RESULTS.append(
        {
            "attack": attack.name,
            "client": client,
            "outcome": outcome,
            "seconds": found["elapsed"],
            "mib": mib,
        }
    )
    problems = []

    # the outcome
    if client == "curl":
        if run["rc"] != attack.curl_rc and not (attack.name == "deep_json" and run["rc"] == 4):
            problems.append(f"exit {run['rc']}, expected {attack.curl_rc}: {run['stderr'][-500:]}")
        elif attack.curl_check is not None:
            attack.curl_check(run)
        elif run["rc"] != 0:
            lines = run["stderr"].splitlines()
            if len(lines) != 1 or not lines[0].startswith("error: "):
                problems.append(f"not one error line: {run['stderr'][-500:]!r}")
            elif not _control_free(lines[0]):
                problems.append(f"control characters in {lines[0]!r}")
    else:
        expected = attack.expect.split("|")
        if found["ok"]:
            if "ok" not in expected:
                problems.append(f"succeeded, expected {attack.expect}: {found}")
        elif found["error_type"] not in expected:
            problems.append(f"{found['error_type']}: {found['error']}, expected {attack.expect}")
        if not found["ok"] and "GradioClientError" not in found["error_mro"]:
            problems.append(f"{found['error_type']} is not a GradioClientError")
        if attack.check is not None and not problems:
            attack.check(found, dest)

    # time: the call, and the process around it
    if found["elapsed"] > attack.timeout + MARGIN:
        problems.append(f"took {found['elapsed']:.1f} s, timeout {attack.timeout} s")
    if run["rc"] == -9:
        problems.append(f"killed after {limit} s")
    # memory
    bound = BOUNDS[client] + attack.extra_mib
    if mib > bound:
        problems.append(f"peak memory {mib:.0f} MiB > {bound} MiB")
    # secrets
    for hit in servers.other_log.hits:
        if hit.at >= started:
            leaked = [s for s in srv.SECRETS if s in json.dumps(hit.headers) + hit.path]
            if leaked:
                problems.append(f"{leaked} sent to the other origin: {hit.path}")
    # files: the user's are untouched, nothing new outside the download folder
    assert (dest / "victim.txt").read_text() == USER_FILE
    assert (work / ".bashrc").read_text() == USER_FILE
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    new = [p for p in after if p not in before]
    outside = [p for p in new if not p.is_relative_to(dest.relative_to(tmp_path))]
    if outside:
        problems.append(f"files outside the download folder: {outside}")
    if (not found.get("ok", run["rc"] == 0) or client == "curl") and [
        p for p in new if p not in outside
    ]:
        problems.append(f"a failed call left files: {new}")
    # after the call
    late = [h for h in servers.hits(attack.name) if h.at > found["end"] + 0.05 and h.at >= started]
    late = [h for h in late if "/heartbeat/" not in h.path]
    if late:
        problems.append(f"{len(late)} requests after the call: {[h.path for h in late[:5]]}")
    if run["leftovers"]:
        problems.append(f"{run['leftovers']} processes outlived the call")
    if client == "js" and run["exited"] - found["end"] > 1.0:
        problems.append(f"node ran {run['exited'] - found['end']:.1f} s after the call")
    if attack.name == "close_only":
        streams = [
            h for h in servers.hits(attack.name) if "/queue/data" in h.path and h.at >= started
        ]
        if len(streams) > 12:
            problems.append(f"{len(streams)} stream requests: reconnects without back-off")
    assert not problems, "; ".join(problems)


JS_CLOSE = """
const { Client } = await import(process.argv[1]);
const client = new Client({ baseUrl: process.argv[2], timeout: null });
const job = await (client.submitJsonEcho ?? client.submit_json_echo).call(client, { data: "x" });
const started = Date.now();
setTimeout(() => client[Symbol.asyncDispose](), 300);
let error = null;
try { await job.result(); } catch (err) { error = err; }
let after = null;
try { await (client.jsonEcho ?? client.json_echo).call(client, { data: "y" }); }
catch (err) { after = err.constructor.name; }
console.log(JSON.stringify({ error: error?.constructor.name, message: error?.message,
  waited: Date.now() - started, after }));
"""


def test_js_close_ends_its_jobs_and_lets_node_exit(
    servers: srv.Servers, client_dir: Path, tmp_path: Path
) -> None:
    """close() (here through Symbol.asyncDispose) fails a job that would wait forever, stops
    its stream, and refuses later calls; node then exits by itself."""
    started = time.time()
    done = subprocess.run(
        [shutil.which("node") or "node", "--input-type=module", "-e", JS_CLOSE,
         str(client_dir / "js" / "index.js"), f"{servers.app}/stream_endless"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["error"] == "GradioClientError" and "closed" in got["message"]
    assert got["waited"] < 2000 and got["after"] == "GradioClientError"
    assert time.time() - started < 10
