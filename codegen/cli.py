"""The command line: options in, one line out per problem, an exit code a script can test."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from codegen import __version__
from codegen.errors import CodegenError


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("src")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into; the generator owns its python/ subfolder.",
)
@click.option("--name", help="Python package name (default: from the Space id or app title).")
@click.option("--token", help="Hugging Face token for private Spaces (default: $HF_TOKEN).")
@click.option("--base-url", help="URL the client calls by default (for a schema read from a file).")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for each schema request.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and notes.")
@click.version_option(__version__, prog_name="gradio-codegen")
def main(
    src: str,
    output: Path,
    name: str | None,
    token: str | None,
    base_url: str | None,
    timeout: float,
    verbose: bool,
) -> None:
    """Generate a typed client from a Gradio app.

    SRC is a Space id (owner/name), an app URL, or a saved openapi.json / info.json.
    """
    # imported here so that --help stays fast
    from codegen.ir import Level
    from codegen.pipeline import Options, generate

    try:
        options = Options(name=name, base_url=base_url)
        app, files = generate(src, output, options, token or os.environ.get("HF_TOKEN"), timeout)
    except CodegenError as exc:
        if verbose:
            traceback.print_exc()
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug of ours: say so in one line, keep the trace for -v
        if verbose:
            traceback.print_exc()
        click.echo(f"error: internal error: {type(exc).__name__}: {exc} (run with -v)", err=True)
        sys.exit(1)
    for d in app.diagnostics:
        if verbose or d.level is Level.WARNING:
            click.echo(str(d), err=True)
    click.echo(f"wrote {len(files)} files for {len(app.endpoints)} endpoints to {output}")
