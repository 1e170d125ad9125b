"""The Go client of ``examples/templates/go`` (templates alone) against live apps, compared
with gradio_client.

Go comes from Debian's ``golang-go`` when it is missing; the generated package uses the
standard library only, so nothing is downloaded (``GOPROXY=off``). For the basics and media
apps the test generates the package, runs ``go vet``, and ``go run``s a program that calls
every endpoint (CASES of the Python client's tests) and prints what it got as JSON; the
comparison with gradio_client is here. The chat app adds streaming, the session and
cancellation; the hostile fixtures must still ``go vet`` clean.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from codegen.pipeline import Options, generate, plan
from codegen.source import read_source
from codegen.write import write
from tests.e2e.conftest import gradio_python
from tests.e2e.test_python_client import CASES, normalize, with_files
from tests.paths import ROOT, SCHEMAS

TEMPLATES = ROOT / "examples" / "templates"
APPS = ("basics", "media", "chat")
HOSTILE = sorted(p for p in (SCHEMAS / "hostile").iterdir() if p.is_dir())


def _go_env(tmp: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "HF_TOKEN"},
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GOPATH": str(tmp / "gopath"),
        "GOCACHE": str(tmp / "gocache"),
        "GOTOOLCHAIN": "local",
    }


@pytest.fixture(scope="module")
def go(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``go(args, cwd)``: runs the go tool, installed from Debian's golang-go when missing."""
    if shutil.which("go") is None:
        install = ["apt-get", "install", "-y", "-q", "golang-go"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(install, capture_output=True, env=env, check=False).returncode:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=True)
            subprocess.run(install, capture_output=True, env=env, check=True)
    found = shutil.which("go")
    assert found is not None, "apt-get install golang-go did not put go on PATH"
    env = _go_env(tmp_path_factory.mktemp("go"))

    def run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [found, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )

    return run


@pytest.fixture(scope="module")
def go_clients(live_apps: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each live app's Go package, from its live schema: ``out/{app}/go``."""
    out = tmp_path_factory.mktemp("go_clients")
    for app in APPS:
        options = Options(name=f"{app}_client", targets=("go",), templates=TEMPLATES)
        generate(live_apps[app], out / app, options, token=None)
    return out


def _api(client_go: str) -> dict[str, tuple[str, str | None, dict[str, str]]]:
    """From the generated code: api_name -> (method, input struct, {wire name: field})."""
    api = {}
    for method, api_name, struct in re.findall(
        r"// (\w+) calls /(\S+)\.\n(?://.*\n)*func \(c \*Client\) \1\(ctx context\.Context"
        r"(?:, in (\w+))?\)",
        client_go,
    ):
        fields: dict[str, str] = {}
        if struct:
            block = client_go.split(f"type {struct} struct {{\n", 1)[1].split("\n}\n", 1)[0]
            fields = {w: f for f, w in re.findall(r"\t// (\w+) is (\S+) \(", block)}
        api[api_name] = (method, struct or None, fields)
    return api


def _go_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # a JSON string of ASCII is a Go string too


def _is_files(value: Any) -> bool:
    return isinstance(value, Path) or (
        isinstance(value, list) and bool(value) and all(isinstance(x, Path) for x in value)
    )


def _call(pkg: str, api: dict[str, Any], api_name: str, wire: dict[str, Any], url: str) -> str:
    """A Go block that calls one endpoint on a fresh client and reports the outcome."""
    method, struct, fields = api[api_name]
    fields = {**{w.lower(): f for w, f in fields.items()}, **fields}  # 3.x names are labels
    lines = ["\t{", f"\t\tc := {pkg}.NewClient({_go_str(url)})"]
    if struct is None:
        lines.append(f"\t\treport(c.{method}(ctx))")
    else:
        plain = {fields[k.lower()]: v for k, v in wire.items() if not _is_files(v)}
        lines.append(f"\t\tvar in {pkg}.{struct}")
        lines.append(f"\t\tmust(json.Unmarshal([]byte({_go_str(json.dumps(plain))}), &in))")
        for key, value in wire.items():
            if isinstance(value, Path):
                lines.append(
                    f"\t\tin.{fields[key.lower()]} = {pkg}.LocalFile({_go_str(str(value))})"
                )
            elif _is_files(value):
                items = ", ".join(f"{pkg}.LocalFile({_go_str(str(x))})" for x in value)
                lines.append(f"\t\tin.{fields[key.lower()]} = []*{pkg}.File{{{items}}}")
        lines.append(f"\t\treport(c.{method}(ctx, in))")
    lines.append("\t}")
    return "\n".join(lines)


MAIN = """package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"time"

{imports}
)

var _, _ = time.Second, http.MethodGet

func must(err error) {{
	if err != nil {{
		panic(err)
	}}
}}

// outputs of a multi-output call (a ...Result struct) as a list, like gradio_client's tuple
func asList(v any) any {{
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Struct && strings.HasSuffix(rv.Type().Name(), "Result") {{
		list := make([]any, rv.NumField())
		for i := range list {{
			list[i] = rv.Field(i).Interface()
		}}
		return list
	}}
	return v
}}

func emit(outcome map[string]any) {{
	line, err := json.Marshal(outcome)
	must(err)
	fmt.Fprintln(os.Stdout, string(line))
}}

func report(v any, err error) {{
	if err != nil {{
		outcome := map[string]any{{"error": fmt.Sprintf("%T", err), "message": err.Error()}}
		emit(outcome)
		return
	}}
	emit(map[string]any{{"ok": asList(v)}})
}}

func main() {{
	ctx := context.Background()
	_ = errors.Is
{body}
}}
"""


def _program(work: Path, go_clients: Path, packages: dict[str, str], body: str) -> Path:
    """A module of its own that requires the generated packages by their go.mod."""
    work.mkdir(parents=True, exist_ok=True)
    mods = {app: (go_clients / app / "go" / "go.mod").read_text().split()[1] for app in packages}
    requires = "".join(f"require {m} v0.0.0\n" for m in mods.values())
    replaces = "".join(f"replace {mods[a]} => {go_clients / a / 'go'}\n" for a in packages)
    (work / "go.mod").write_text(f"module e2echeck\n\ngo 1.19\n\n{requires}{replaces}")
    imports = "\n".join(f"\t{pkg} {_go_str(mods[app])}" for app, pkg in packages.items())
    (work / "main.go").write_text(MAIN.format(imports=imports, body=body))
    return work


def _run(go: Any, work: Path) -> list[dict[str, Any]]:
    vetted = go(["vet", "./..."], work)
    assert vetted.returncode == 0, vetted.stderr
    done = go(["run", "."], work)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_generated_packages_vet_and_format_clean(go: Any, go_clients: Path) -> None:
    for app in APPS:
        folder = go_clients / app / "go"
        assert sorted(p.name for p in folder.iterdir()) == ["client.go", "go.mod", "runtime.go"]
        vetted = go(["vet", "./..."], folder)
        assert vetted.returncode == 0, vetted.stderr
        unformatted = subprocess.run(
            [str(Path(shutil.which("go") or "go").with_name("gofmt")), "-l", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
        )
        assert unformatted.stdout == ""
        imports = re.findall(
            r'^\t"([^"]+)"$', "".join(p.read_text() for p in folder.glob("*.go")), re.M
        )
        assert imports and all("." not in i.split("/")[0] for i in imports)  # stdlib only


def test_every_endpoint_matches_gradio_client(
    go: Any,
    go_clients: Path,
    live_apps: dict[str, str],
    oracle: Any,
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    packages = {"basics": "basics", "media": "media"}
    apis = {app: _api((go_clients / app / "go" / "client.go").read_text()) for app in packages}
    cases = [(app, api, wire) for app, api, wire, _, _ in CASES if app in packages]
    errors = [
        ("basics", "fail", {"message": "boom"}),
        ("basics", "calculate", {"a": 1, "operation": "divide", "b": 0}),
    ]
    body = [
        _call(app, apis[app], api, with_files(wire, files, Path), live_apps[app])
        for app, api, wire in [*cases, *errors]
    ]
    called = {(app, api) for app, api, _ in [*cases, *errors]}
    assert called == {(app, a) for app in packages for a in apis[app]}  # every endpoint
    results = _run(go, _program(tmp_path / "cases", go_clients, packages, "\n".join(body)))
    assert len(results) == len(cases) + len(errors)
    for (app, api, wire), got in zip(cases, results, strict=False):
        expected = oracle.predict(app, api, **with_files(wire, files, _as_oracle))
        assert "error" not in got, (app, api, wire, got)
        assert normalize(got["ok"]) == normalize(expected), (app, api, wire)
    fail, divide = results[len(cases) :]
    assert fail == {"error": "*basicsclient.Error", "message": "boom"}
    assert divide == {"error": "*basicsclient.Error", "message": "Cannot divide by zero!"}


def _as_oracle(value: Any) -> Any:
    from tests.e2e.test_python_client import as_oracle_input

    return as_oracle_input(value)


CHAT = """	c := chat.NewClient({url})
	var seen []string
	in := chat.CountUpInput{{N: chat.Ptr(int64(4))}}
	last, err := c.CountUpStream(ctx, in, func(s string) error {{
		seen = append(seen, s)
		return nil
	}})
	must(err)
	emit(map[string]any{{"seen": seen, "last": last}})
	var counts []float64
	for i := 0; i < 3; i++ {{
		n, err := c.Increment(ctx)
		must(err)
		counts = append(counts, n)
	}}
	c.ResetSession()
	again, err := c.Increment(ctx)
	must(err)
	emit(map[string]any{{"counts": counts, "afterReset": again}})
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err = c.SlowEcho(short, chat.SlowEchoInput{{Text: "x"}})
	emit(map[string]any{{
		"deadline": errors.Is(err, context.DeadlineExceeded),
		"seconds":  time.Since(started).Seconds(),
	}})
	echoed, err := c.SlowEcho(ctx, chat.SlowEchoInput{{Text: "after"}})
	must(err)
	emit(map[string]any{{"echoed": echoed}})"""


def test_streaming_sessions_and_cancellation(
    go: Any, go_clients: Path, live_apps: dict[str, str], oracle: Any, tmp_path: Path
) -> None:
    body = CHAT.format(url=_go_str(live_apps["chat"]))
    stream, state, cancelled, after = _run(
        go, _program(tmp_path / "chat", go_clients, {"chat": "chat"}, body)
    )
    expected = list(oracle.fresh("chat").submit(4, api_name="/count_up"))
    assert stream == {"seen": expected, "last": expected[-1]}
    official = oracle.fresh("chat")
    assert state["counts"] == [official.predict(api_name="/increment") for _ in range(3)]
    assert state["afterReset"] == 1
    assert cancelled["deadline"] is True and cancelled["seconds"] < 1.2
    assert after == {"echoed": "after"}  # the client and its session still work


@pytest.mark.parametrize("folder", HOSTILE, ids=lambda p: p.name)
def test_hostile_schemas_still_vet_clean(go: Any, folder: Path, tmp_path: Path) -> None:
    raw = read_source(str(folder), None)
    _, files = plan(raw, Options(targets=("go",), templates=TEMPLATES))
    write(tmp_path, files)
    vetted = go(["vet", "./..."], tmp_path / "go")
    assert vetted.returncode == 0, vetted.stderr
    assert not Path("/tmp/gradio_codegen_canary").exists()


# the Go test, in the generated package: its event-stream lines end at \r\n, \n or a lone \r,
# never at the characters other line splitters take (VT, FF, FS, GS, RS, NEL, LS, PS)
LINE_TEST = """package PKG

import (
\t"bufio"
\t"strings"
\t"testing"
)

func TestEventStreamLines(t *testing.T) {
\tbroken := "a\\u0085b\\u2028c\\u2029d\\x0be\\x0cf\\x1cg\\x1dh\\x1ei"
\tin := "data: " + broken + "\\rdata: 2\\r\\ndata: 3\\n\\rdata: 4"
\tl := &lineReader{r: bufio.NewReader(strings.NewReader(in))}
\tvar got []string
\tfor {
\t\tline, err := l.next()
\t\tif err != nil && line == "" {
\t\t\tbreak
\t\t}
\t\tgot = append(got, line)
\t}
\twant := []string{"data: " + broken, "data: 2", "data: 3", "", "data: 4"}
\tif strings.Join(got, "|") != strings.Join(want, "|") {
\t\tt.Fatalf("got %q", got)
\t}
}
"""


def test_event_stream_lines_end_only_at_cr_and_lf(go: Any, tmp_path: Path) -> None:
    raw = read_source(str(SCHEMAS / "e2e_media"), None)
    _, files = plan(raw, Options(targets=("go",), templates=TEMPLATES, base_url="http://x"))
    write(tmp_path, files)
    package = re.search(r"^package (\w+)", (tmp_path / "go" / "runtime.go").read_text(), re.M)
    assert package is not None
    (tmp_path / "go" / "lines_test.go").write_text(LINE_TEST.replace("PKG", package[1]))
    tested = go(["test", "./..."], tmp_path / "go")
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_the_token_goes_as_x_hf_authorization_and_nowhere_else(
    go: Any, serve: Any, tmp_path: Path
) -> None:
    """The Space-like app names the request headers that hold its canary token."""
    with serve(("space",)) as urls:
        options = Options(name="space_client", targets=("go",), templates=TEMPLATES)
        generate(urls["space"], tmp_path / "clients" / "space", options, token=None)
        body = (
            f"\tc := space.NewClient({_go_str(urls['space'])})\n"
            '\tc.Token = "hf_canary"\n'
            "\treport(c.TokenHeaders(ctx))\n"
            '\tc.Token = ""\n'
            "\treport(c.TokenHeaders(ctx))\n"
            '\tmust(os.Setenv("HF_TOKEN", "hf_canary"))\n'
            f"\treport(space.NewClient({_go_str(urls['space'])}).TokenHeaders(ctx))"
        )
        work = _program(tmp_path / "token", tmp_path / "clients", {"space": "space"}, body)
        # $HF_TOKEN goes only to Hugging Face's hosts, as with the Python and JS clients
        assert _run(go, work) == [{"ok": "x-hf-authorization"}, {"ok": ""}, {"ok": ""}]


Seen = list[tuple[str, dict[str, str]]]


@contextmanager
def _recording(routes: Any) -> Iterator[tuple[str, Seen]]:
    """An HTTP server on 127.0.0.1 that records each request's path and headers;
    ``routes(path)`` answers ``(status, location or body)``."""
    seen: Seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            status, text = routes(self.path)
            self.send_response(status)
            if status in (302, 307):
                self.send_header("Location", text)
                text = ""
            body = text.encode()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_and_header_stay_on_the_app_s_origin(go: Any, tmp_path: Path) -> None:
    """A result file on another origin, and a redirect to one, get neither the token nor
    ``c.Header``; a redirect within the app keeps both; ``file.Path`` is escaped."""
    with _recording(lambda path: (200, "other")) as (other, other_seen):

        def app_routes(path: str) -> tuple[int, str]:
            if path == "/file.json":
                return 200, json.dumps({"path": "x.png", "url": f"{other}/x.png"})
            name = path.partition("file=")[2]
            if name == "leave":
                return 302, f"{other}/landing"
            if name == "stay":
                return 302, path.replace("file=stay", "file=kept")
            return 200, name

        with _recording(app_routes) as (app, app_seen):
            raw = read_source(str(SCHEMAS / "e2e_basics"), None)
            _, files = plan(raw, Options(name="basics", targets=("go",), templates=TEMPLATES))
            write(tmp_path / "clients" / "basics", files)
            body = f"""\tc := basics.NewClient({_go_str(app)})
\tc.Token = "hf_canary"
\tc.Header.Set("X-Custom", "canary")
\tdownload := func(f basics.FileData) {{
\t\tgot, err := c.Download(ctx, f)
\t\treport(string(got), err)
\t}}
\tresp, err := http.Get({_go_str(app + "/file.json")})
\tmust(err)
\tvar served basics.FileData
\tmust(json.NewDecoder(resp.Body).Decode(&served))
\tmust(resp.Body.Close())
\tdownload(served)
\tdownload(basics.FileData{{Path: "leave"}})
\tdownload(basics.FileData{{Path: "stay"}})
\tdownload(basics.FileData{{Path: "a b#c?d%e.png"}})
\tmust(os.Setenv("HF_TOKEN", "hf_env"))
\tmust(os.Setenv("HF_ENDPOINT", "http://127.0.0.1:9"))
\treport(basics.NewClient({_go_str(app)}).Token, nil)
\tmust(os.Setenv("HF_ENDPOINT", {_go_str(app)}))
\treport(basics.NewClient({_go_str(app)}).Token, nil)"""
            work = _program(tmp_path / "prog", tmp_path / "clients", {"basics": "basics"}, body)
            results = _run(go, work)
    # $HF_ENDPOINT on the same host but another port is not the app's host
    assert results == [
        {"ok": "other"},
        {"ok": "other"},
        {"ok": "kept"},
        {"ok": "a%20b%23c%3Fd%25e.png"},
        {"ok": ""},
        {"ok": "hf_env"},
    ]
    assert [path for path, _ in other_seen] == ["/x.png", "/landing"]
    for _, headers in other_seen:
        assert "x-hf-authorization" not in headers and "x-custom" not in headers, headers
    kept = [headers for path, headers in app_seen if path.endswith("file=kept")]
    assert len(kept) == 1
    assert kept[0]["x-hf-authorization"] == "Bearer hf_canary"
    assert kept[0]["x-custom"] == "canary"
    escaped = [path for path, _ in app_seen if "file=a" in path]
    assert len(escaped) == 1 and escaped[0].endswith("/file=a%20b%23c%3Fd%25e.png")


def test_every_fixture_and_corpus_capture_vets_clean(go: Any, tmp_path: Path) -> None:
    """All of them as packages of one module, so that one go vet checks them all."""
    from codegen.errors import SchemaError
    from tests.paths import CORPUS_VERSIONS, corpus

    folders = [p for p in SCHEMAS.iterdir() if p.is_dir() and p.name != "hostile"]
    folders += [p for v in CORPUS_VERSIONS for p in corpus(v).iterdir() if p.is_dir()]
    made = 0
    for n, folder in enumerate(sorted(folders)):
        try:
            _, files = plan(
                read_source(str(folder), None), Options(targets=("go",), templates=TEMPLATES)
            )
        except SchemaError:
            continue  # the generator refuses it (no public endpoint), for every target
        write(tmp_path / f"app{n}", [f for f in files if f.relpath.name != "go.mod"])
        made += 1
    assert made > 150
    (tmp_path / "go.mod").write_text("module fixtures\n\ngo 1.19\n")
    vetted = go(["vet", "./..."], tmp_path, timeout=600)
    assert vetted.returncode == 0, vetted.stderr[:3000]


# 3.x and 4.x send a gr.Error's message as its Python repr, which escapes this one's quote
HARD_MESSAGE = 'it\'s "boom" é\\n'


@pytest.mark.parametrize("version", ["3.50.2", "4.44.1", "5.49.1", "6.5.1"])
def test_older_gradio_protocols_give_the_same_results(
    go: Any, serve: Any, oracle: Any, tmp_path: Path, version: str
) -> None:
    """Gradio 3.x (oneshot /run with fn_index), 4.x (queue without the /gradio_api prefix)
    and 5.x-6.5 (whose per-event stream would find no session) through the same templates:
    the basics app's results and error message equal current Gradio's."""
    python = gradio_python(version)
    cases = [(api, wire) for app, api, wire, _, _ in CASES if app == "basics"]
    with serve(("basics",), python=python) as urls:
        options = Options(name="basics", targets=("go",), templates=TEMPLATES)
        generate(urls["basics"], tmp_path / "clients" / "basics", options, token=None)
        api = _api((tmp_path / "clients" / "basics" / "go" / "client.go").read_text())
        calls = [*cases, ("fail", {"message": HARD_MESSAGE})]
        body = "\n".join(_call("basics", api, name, wire, urls["basics"]) for name, wire in calls)
        work = _program(tmp_path / "prog", tmp_path / "clients", {"basics": "basics"}, body)
        results = _run(go, work)
    for (name, wire), got in zip(cases, results, strict=False):
        assert got == {"ok": normalize(oracle.predict("basics", name, **wire))}, (name, wire)
    assert results[-1] == {"error": "*basics.Error", "message": HARD_MESSAGE}


def test_a_gradio_3_image_input_travels_inline(
    go: Any, serve: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    """3.x takes an Image as a base64 data URL (and answers with one), not as an upload."""
    python = gradio_python("3.50.2")
    with serve(("media",), python=python) as urls:
        options = Options(name="media", targets=("go",), templates=TEMPLATES)
        generate(urls["media"], tmp_path / "clients" / "media", options, token=None)
        api = _api((tmp_path / "clients" / "media" / "go" / "client.go").read_text())
        body = _call("media", api, "image_info", {"image": files["red"]}, urls["media"])
        work = _program(tmp_path / "prog", tmp_path / "clients", {"media": "media"}, body)
        ((outcome),) = _run(go, work)
    image, size = outcome["ok"]
    assert image.startswith("data:image/png;base64,") and size == "5x3"


def test_gradio_4_result_files_get_urls_that_download(
    go: Any, serve: Any, oracle: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    """4.x builds a result file's URL from the route that answered (a 404); it is rebuilt."""
    python = gradio_python("4.44.1")
    cases = [("file_upper", {"file": "note"}), ("audio_reverse", {"audio": "tone"})]
    with serve(("media",), python=python) as urls:
        options = Options(name="media", targets=("go",), templates=TEMPLATES)
        generate(urls["media"], tmp_path / "clients" / "media", options, token=None)
        api = _api((tmp_path / "clients" / "media" / "go" / "client.go").read_text())
        body = "\n".join(
            _call("media", api, name, with_files(wire, files, Path), urls["media"])
            for name, wire in cases
        )
        work = _program(tmp_path / "prog", tmp_path / "clients", {"media": "media"}, body)
        results = _run(go, work)
        for (name, wire), got in zip(cases, results, strict=True):
            expected = oracle.predict("media", name, **with_files(wire, files, _as_oracle))
            assert "/call/" not in got["ok"]["url"]
            assert normalize(got["ok"]) == normalize(expected), name
