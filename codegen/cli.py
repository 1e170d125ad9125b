"""The command line: options in, one line out per problem, an exit code a script can test.

``gradio-codegen SRC -o DIR`` generates; with no SRC it runs every app of the config file;
``regen DIR`` regenerates a folder offline from its lock (with no DIR, every configured
app's); ``diff OLD NEW`` classifies API changes. ``--check`` exits 1 when the folder differs
from a fresh run, ``diff`` when it finds what ``--fail-on`` names. Ctrl-C exits 130 at once.
Modules beyond click are imported inside commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from codegen import __version__
from codegen.errors import CodegenError, SourceError

if TYPE_CHECKING:
    from codegen.config import AppEntry, Config
    from codegen.ir import App
    from codegen.pipeline import Check, Options
    from codegen.source import RawSchema
    from codegen.summary import Summary

    Reader = Callable[..., RawSchema]  # read_source with the caller's credentials bound

DEFAULT_COMMAND = "generate"
INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command Ctrl-C stopped
DEFAULT_TIMEOUT = 30.0
DEFAULT_WAIT = 300.0  # seconds a sleeping or starting Space may take to run
SEARCH_LIMIT = 20
# a --check diff is a glimpse of each changed file, not the whole story
DIFF_LINES = 80
FILE_DIFF_LINES = 16
CONTEXT = {"help_option_names": ["-h", "--help"]}


class _Main(click.Group):
    """Routes anything that is not a subcommand to ``generate``, so ``gradio-codegen SRC -o
    DIR`` and a bare ``gradio-codegen`` keep their short form."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--version"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> None:
        """Ctrl-C ends the run at once, exit 130: requests in flight (a config run fetches
        in threads, which no exception reaches) end with the process, their connections
        closed. A write under way has already put the folder back (``write``)."""
        try:
            super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(INTERRUPTED)


class _Generate(click.Command):
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("gradio-codegen", "[SRC -o DIR] [OPTIONS]")


@click.group(cls=_Main, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="gradio-codegen")
def main() -> None:
    """Typed clients generated from Gradio apps."""


# the control characters a terminal acts on (C0 but tab and newline, DEL, C1), as escapes
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(9), *range(11, 32), 127, *range(0x80, 0xA0))}


def _echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` with control characters written as escapes: what the CLI prints holds
    text from servers (schemas, Hub descriptions, error messages), which must not reach the
    terminal as escape sequences."""
    click.echo(str(message).translate(_CONTROLS), err=err, nl=nl)


@contextlib.contextmanager
def _errors(verbose: bool, report: Summary | None = None) -> Iterator[None]:
    """Our errors as one line and their exit code; a bug of ours says so, exit 1. The line
    goes to the ``--summary`` report too."""
    try:
        yield
    except CodegenError as exc:
        _fail(f"error: {exc}", exc.exit_code, verbose, report)
    except Exception as exc:
        _fail(
            f"error: internal error: {type(exc).__name__}: {exc} (run with -v)", 1, verbose, report
        )


def _fail(line: str, code: int, verbose: bool, report: Summary | None) -> None:
    if verbose:
        traceback.print_exc()
    _echo(line, err=True)
    if report is not None:
        report.error(line)
        report.write()
    sys.exit(code)


_verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and notes.")
_token_option = click.option(
    "--token",
    help="Hugging Face token: sent to the app's host (any host) as x-hf-authorization and to "
    "the Hub as Authorization. Default: $HF_TOKEN, else the token `hf auth login` saved, "
    "sent to Hugging Face hosts only.",
)


def _timeout_option(
    what: str = "each schema request",
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--timeout",
        default=DEFAULT_TIMEOUT,
        show_default=True,
        type=click.FloatRange(min=0, min_open=True),
        help=f"Seconds to wait for {what}.",
    )


def _space_options(command: Callable[..., None]) -> Callable[..., None]:
    """--wait and --auth: reaching a Space that sleeps, or an app behind a login."""
    command = click.option(
        "--wait",
        type=click.FloatRange(min=0),
        default=DEFAULT_WAIT,
        show_default=True,
        help="Seconds to wait for a sleeping or starting Space to run.",
    )(command)
    return click.option(
        "--auth",
        "auth_user",
        metavar="USER",
        help="Log in to an app launched with auth= as USER; the password comes from "
        "$GRADIO_PASSWORD (never the command line) and is never written.",
    )(command)


def _config_options(command: Callable[..., None]) -> Callable[..., None]:
    """--config and --app: which config file, and which of its apps."""
    command = click.option(
        "--app",
        "app_names",
        multiple=True,
        metavar="NAME",
        help="Without SRC: only this app of the config (its name, output folder or src); "
        "repeat for several.",
    )(command)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Without SRC: the file listing the apps (default: gradio-codegen.toml, else "
        "pyproject.toml's [tool.gradio-codegen], in this folder).",
    )(command)


_summary_option = click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append a Markdown report (each folder's state, diff and API-change table, and "
    "every error line) to this file, e.g. $GITHUB_STEP_SUMMARY.",
)


def _reader(token: str | None, auth_user: str | None, wait: float, verbose: bool) -> Reader:
    """read_source with --token (explicit), $HF_TOKEN (Hugging Face hosts only), --auth and
    --wait bound; the wake-up line goes to stderr, notes only under -v."""
    from functools import partial

    from codegen import hub
    from codegen.source import read_source

    login = None
    if auth_user is not None:
        password = os.environ.get("GRADIO_PASSWORD")
        if not password:
            raise SourceError(
                "--auth needs the password in the environment variable GRADIO_PASSWORD",
                "export GRADIO_PASSWORD=... (it is never read from the command line)",
            )
        login = (auth_user, password)

    def note(message: str) -> None:
        if verbose:
            _echo(message, err=True)

    return partial(
        read_source,
        token=token,
        env_token=hub.ambient_token(),
        login=login,
        wait=wait,
        progress=lambda message: _echo(message, err=True),
        note=note,
    )


@main.command(
    DEFAULT_COMMAND,
    cls=_Generate,
    context_settings=CONTEXT,
    epilog="Other commands: 'gradio-codegen regen DIR' regenerates a folder offline from its "
    "lock; 'gradio-codegen diff OLD NEW' lists API changes; 'gradio-codegen search TEXT' finds "
    "Gradio Spaces; 'gradio-codegen model SRC' prints the app's model as JSON. Each has --help.",
)
@click.argument("src", required=False)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into; required with SRC. Only files its lock lists are replaced.",
)
@click.option("--name", help="Python package name (default: from the Space id or app title).")
@_token_option
@_space_options
@click.option("--base-url", help="URL the client calls by default (for a schema read from a file).")
@click.option(
    "--package-version",
    metavar="X.Y.Z",
    help="The generated packages' version (default: the folder's, its major bumped by a "
    "breaking API change, its minor by another, its patch by a generator-only change).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for each schema request (default 30, or the config's).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Regenerate in memory and compare with the folder: exit 0 when identical, 1 with a "
    "diff and the API changes when not. Writes nothing.",
)
@_config_options
@click.option(
    "--overwrite",
    is_flag=True,
    help="Write into a folder that holds files but no gradio-codegen.lock (refused without "
    "it: those files are not gradio-codegen's); the planned paths are written over.",
)
@_summary_option
@click.option(
    "--targets",
    "targets_text",
    metavar="LIST",
    help="Comma-separated outputs to write: python, js, curl, docs, mcp (an MCP server; "
    "brings python), and any target of --templates (default: all but mcp; or the config's "
    "targets).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path),
    help="Folder laid out like templates/: its files replace the built-in ones of the same "
    "path; a folder named for no built-in target is a new target (see the README).",
)
@_verbose_option
def generate_command(
    src: str | None,
    output: Path | None,
    name: str | None,
    token: str | None,
    base_url: str | None,
    package_version: str | None,
    timeout: float | None,
    check: bool,
    config_path: Path | None,
    app_names: tuple[str, ...],
    overwrite: bool,
    summary: Path | None,
    targets_text: str | None,
    templates: Path | None,
    verbose: bool,
    wait: float,
    auth_user: str | None,
) -> None:
    """Generate a typed client from a Gradio app.

    SRC is a Space id (owner/name), an app URL, or a saved openapi.json / info.json. Without
    SRC, every app of the config file is generated (or checked, with --check).
    """
    if src is None:
        if output or name or base_url or auth_user or package_version:
            raise click.UsageError(
                "-o, --name, --base-url, --package-version and --auth go with SRC; "
                "a config sets the others"
            )
        run = _ConfigRun(config_path, app_names, check, verbose, _report(summary, check))
        choice = _Choice(targets_text, templates)
        _run_config(run, token, timeout, choice, wait, overwrite)
        return
    if output is None:
        raise click.UsageError("Missing option '-o' / '--output' (the folder to write SRC into)")
    if config_path is not None or app_names:
        raise click.UsageError("--config and --app are for running without SRC")
    from codegen import pipeline
    from codegen.lock import source_label

    options = _Choice(targets_text, templates).options(name, base_url)
    options = dataclasses.replace(options, package_version=package_version)
    report = _report(summary, check)
    with _errors(verbose, report):
        raw = _reader(token, auth_user, wait, verbose)(src, timeout=timeout or DEFAULT_TIMEOUT)
        if check:
            result = pipeline.check(raw, options, source_label(src, output), output)
        else:
            app, files = pipeline.publish(
                raw, options, source_label(src, output), output, overwrite
            )
    if check:
        code = _show_check(output, result, report)
        report.write()
        sys.exit(code)
    _show_written(app, len(files), output, verbose, report)
    report.write()


def _report(path: Path | None, check: bool) -> Summary:
    from codegen.summary import Summary

    return Summary(path, "gradio-codegen --check" if check else "gradio-codegen")


def _show_written(app: App, count: int, output: Path, verbose: bool, report: Summary) -> None:
    from codegen.ir import Level

    for d in app.diagnostics:
        if verbose or d.level is Level.WARNING:
            _echo(str(d), err=True)
    if count:
        line = f"wrote {count} files for {len(app.endpoints)} endpoints to {output}"
    else:  # publish found the folder up to date without rendering
        line = f"up to date: {output} ({len(app.endpoints)} endpoints); nothing written"
    _echo(line)
    report.note(line)


def _show_check(output: Path, result: Check, report: Summary) -> int:
    """Drift is the answer, not an error: it goes to stdout, and exit 1 says it."""
    from codegen.apidiff import as_text
    from codegen.lock import LOCK_NAME

    if not result.diff:
        note = ""
        if result.reformatted:  # another formatter, the same bytes: said, and no drift
            was, now = result.reformatted
            note = f" (its lock names {was}; {now} made the same bytes)"
        _echo(f"up to date: {output}{note}")
        report.checked(output, result, f"up to date{note}")
        return 0
    count = len(result.diff)
    what = f"{count} {'file differs' if count == 1 else 'files differ'}"
    _echo(f"out of date: {output} ({what})")
    report.checked(output, result, f"out of date ({what})")
    budget, hidden, quiet = DIFF_LINES, 0, set()
    python = [str(p) for p in result.diff if p.suffix == ".py"]
    if result.reformatted and python:  # one line for them and the lock, not a wall of layout
        was, now = result.reformatted
        quiet = {*python, LOCK_NAME}
        files = "1 Python file was" if len(python) == 1 else f"{len(python)} Python files were"
        _echo(
            f"{files} formatted by {was}; this gradio-codegen formats with {now}, "
            "so the layout may be all that changed"
        )
    for path, lines in result.diff.items():
        if str(path) in quiet:
            continue
        shown = lines[: min(FILE_DIFF_LINES, budget)]
        for line in shown:
            _echo(line)
        budget -= len(shown)
        hidden += len(lines) - len(shown)
    if hidden:
        _echo(f"... {hidden} more diff lines")
    if result.changes:
        _echo("API changes:")
        _echo(as_text(result.changes), nl=False)
    else:
        _echo("no API changes (the generator, its options or the files changed)")
    _echo("to update: run the same command without --check")
    return 1


@dataclass(frozen=True, slots=True)
class _Choice:
    """--targets and --templates; on a config run they override each app's own keys."""

    targets_text: str | None
    templates: Path | None

    def options(
        self,
        name: str | None,
        base_url: str | None,
        targets: tuple[str, ...] | None = None,
        templates: Path | None = None,
    ) -> Options:
        from codegen.pipeline import Options

        if self.targets_text is not None:
            targets = tuple(t.strip() for t in self.targets_text.split(",") if t.strip())
        return Options(name, base_url, targets, self.templates or templates)


@dataclass(frozen=True, slots=True)
class _ConfigRun:
    """A run over the config file's apps: which file, which apps, check or write."""

    config_path: Path | None
    app_names: tuple[str, ...]
    check: bool
    verbose: bool
    report: Summary


def _run_config(
    run: _ConfigRun,
    token: str | None,
    timeout: float | None,
    choice: _Choice,
    wait: float,
    overwrite: bool,
) -> None:
    """Every app of the config (or those --app names): fetched together, then generated or
    checked one by one.

    One app's failure is reported and the others still run; the exit code is the first
    error's, else 1 when any folder drifted under --check.
    """
    from codegen.config import fetch_all

    with _errors(run.verbose, run.report):
        config, entries = _configured(run)
        read = _reader(token, None, wait, run.verbose)
        raws = fetch_all(entries, timeout or config.timeout or DEFAULT_TIMEOUT, token, read)

    def one(entry: AppEntry, raw: RawSchema | CodegenError) -> int:
        from codegen import pipeline
        from codegen.lock import source_label

        if isinstance(raw, CodegenError):
            raise raw
        where = Path(os.path.relpath(entry.output))  # short, as the config spells it
        options = choice.options(entry.name, entry.base_url, entry.targets, entry.templates)
        source = source_label(entry.src, entry.output)
        if run.check:
            return _show_check(
                where, pipeline.check(raw, options, source, entry.output), run.report
            )
        app, files = pipeline.publish(raw, options, source, entry.output, overwrite)
        _show_written(app, len(files), where, run.verbose, run.report)
        return 0

    _each(
        run, [(entry, partial(one, entry, raw)) for entry, raw in zip(entries, raws, strict=True)]
    )


def _each(run: _ConfigRun, steps: Sequence[tuple[AppEntry, Callable[[], int]]]) -> None:
    """Runs each app's step, reporting an app's error and going on; exits with the first
    error's code, else 1 when any folder drifted."""
    codes: list[int] = []
    for entry, step in steps:
        try:
            codes.append(step())
        except CodegenError as exc:
            if run.verbose:
                traceback.print_exception(exc)
            line = f"error: {entry.src}: {exc}"
            _echo(line, err=True)
            run.report.error(line)
            codes.append(exc.exit_code)
    run.report.write()
    failures = [c for c in codes if c > 1]
    sys.exit(failures[0] if failures else max(codes, default=0))


def _configured(run: _ConfigRun) -> tuple[Config, tuple[AppEntry, ...]]:
    from codegen.config import find_config, load_config, select

    config = load_config(run.config_path or find_config(Path.cwd()))
    return config, select(config, run.app_names)


@main.command("regen", context_settings=CONTEXT)
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Compare instead of writing; exit 1 on a difference.")
@_config_options
@_summary_option
@_verbose_option
def regen_command(
    folder: Path | None,
    check: bool,
    config_path: Path | None,
    app_names: tuple[str, ...],
    summary: Path | None,
    verbose: bool,
) -> None:
    """Regenerate FOLDER offline from its gradio-codegen.lock and saved schemas.

    Use it after upgrading gradio-codegen, or to restore generated files. Without FOLDER,
    every app of the config file (or those --app names): `regen --check` is the offline
    check for a pre-commit hook or a pull request's CI.
    """
    report = _report(summary, check)
    if folder is None:
        run = _ConfigRun(config_path, app_names, check, verbose, report)
        with _errors(verbose, report):
            _, entries = _configured(run)
        steps = [
            (e, partial(_regen, e.output, Path(os.path.relpath(e.output)), run)) for e in entries
        ]
        _each(run, steps)
        return
    if config_path is not None or app_names:
        raise click.UsageError("--config and --app are for running without FOLDER")
    run = _ConfigRun(None, (), check, verbose, report)
    with _errors(verbose, report):
        code = _regen(folder, folder, run)
    report.write()
    sys.exit(code)


def _regen(folder: Path, shown: Path, run: _ConfigRun) -> int:
    from codegen import pipeline

    raw, options, source = pipeline.from_folder(folder)
    if run.check:
        return _show_check(shown, pipeline.check(raw, options, source, folder), run.report)
    app, files = pipeline.publish(raw, options, source, folder)
    _show_written(app, len(files), shown, run.verbose, run.report)
    return 0


@main.command("diff", context_settings=CONTEXT)
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a PR comment, json for tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any", "none"]),
    default="breaking",
    show_default=True,
    help="Which changes make the exit code 1.",
)
@_token_option
@_timeout_option()
@_space_options
@_verbose_option
def diff_command(
    old: str,
    new: str,
    fmt: str,
    fail_on: str,
    token: str | None,
    timeout: float,
    wait: float,
    auth_user: str | None,
    verbose: bool,
) -> None:
    """List the API changes from OLD to NEW, breaking ones first.

    Each is a Space id, an app URL, a saved schema, or a generated folder (its saved schemas).
    """
    from codegen.apidiff import as_json, as_markdown, as_text, breaking, diff_apps
    from codegen.parse import parse

    with _errors(verbose):
        read = _reader(token, auth_user, wait, verbose)
        changes = diff_apps(parse(_schema(old, read, timeout)), parse(_schema(new, read, timeout)))
    render = {"text": as_text, "markdown": as_markdown, "json": as_json}[fmt]
    _echo(render(changes), nl=False)
    failed = {"breaking": breaking(changes), "any": bool(changes), "none": False}[fail_on]
    sys.exit(1 if failed else 0)


def _schema(src: str, read: Reader, timeout: float) -> RawSchema:
    """A generated folder is read through its lock, which vouches for its saved schemas."""
    from codegen.lock import LOCK_NAME
    from codegen.pipeline import from_folder

    if (Path(src) / LOCK_NAME).is_file():
        return from_folder(Path(src))[0]
    return read(src, timeout=timeout)


@main.command("search", context_settings=CONTEXT)
@click.argument("query")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=SEARCH_LIMIT,
    show_default=True,
    help="How many Spaces to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the Hub's answer as a JSON list.")
@click.option(
    "--token",
    help="Hugging Face token for the Hub (default: $HF_TOKEN, else the saved `hf auth login`).",
)
@_timeout_option("the Hub")
@_verbose_option
def search_command(
    query: str, limit: int, as_json: bool, token: str | None, timeout: float, verbose: bool
) -> None:
    """Find Gradio Spaces on the Hub by what they do, best match first.

    Each line: the Space id (give it to gradio-codegen), its likes, its runtime stage and
    its short description.
    """
    from codegen import hub

    with _errors(verbose):
        found = hub.search(query, token or hub.ambient_token(), timeout)[:limit]
    if as_json:
        _echo(json.dumps(found, indent=2))
        return
    if not found:
        _echo(f"no Gradio Space matches {hub.one_line(query)!r}", err=True)
    for line in _search_lines(found):
        _echo(line)


def _search_lines(found: list[dict[str, object]]) -> list[str]:
    """Aligned columns; the Hub's text is made printable, one line each."""
    from codegen import hub

    rows = []
    for item in found:
        runtime = item.get("runtime")
        stage = runtime.get("stage") if isinstance(runtime, dict) else None
        likes = item.get("likes")
        about = item.get("ai_short_description") or item.get("title") or ""
        rows.append(
            (
                hub.one_line(item["id"]),
                str(likes if isinstance(likes, int) else 0),
                hub.one_line(stage or "-"),
                hub.one_line(about),
            )
        )
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    return [
        f"{space:<{widths[0]}}  {likes:>{widths[1]}} likes  {stage:<{widths[2]}}  {about}".rstrip()
        for space, likes, stage, about in rows
    ]


@main.command("model", context_settings=CONTEXT)
@click.argument("src")
@_token_option
@click.option("--base-url", help="URL the client calls by default (for a schema read from a file).")
@_timeout_option()
@_space_options
@_verbose_option
def model_command(
    src: str,
    token: str | None,
    base_url: str | None,
    timeout: float,
    wait: float,
    auth_user: str | None,
    verbose: bool,
) -> None:
    """Print the app's intermediate model as JSON (the shape of codegen/model.schema.json).

    SRC is a Space id, an app URL, a saved schema, or a generated folder. The output is sorted
    and deterministic: the contract custom templates and other tools build on.
    """
    from codegen.model_json import dumps
    from codegen.parse import parse

    with _errors(verbose):
        raw = _schema(src, _reader(token, auth_user, wait, verbose), timeout)
        if base_url:
            raw = dataclasses.replace(raw, origin=base_url.rstrip("/"))
        text = dumps(parse(raw))
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
