"""Formatting of rendered text, so that output is tidy and identical run to run.

Python comes out in black's style, byte for byte (``tests/golden/test_black_stable.py`` holds
every generated module to black), but ruff's formatter makes it: on the 200-endpoint
``client.py`` (13k lines) black takes 4.2 s and ruff 16 ms, with the same bytes. Where ruff's
style is known to differ from black's, black has the last word:

- widths: the two measure non-ASCII characters with different tables (an "e" with a
  combining accent is 2 columns to black, 1 to ruff), so ruff formats a copy in which each
  such character (beyond the letters and punctuation they agree on) is a stand-in of
  black's width, and the characters go back afterwards;
- a parameter annotation with a top-level ``|`` that does not fit on one line: black wraps
  it in parentheses, ruff does not. black formats just those functions, found with ``ast``.

(A docstring line indented with a tab comes out of ruff indented otherwise than black would
indent it, but black keeps ruff's version unchanged, which is what the tests hold it to.)
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from importlib.metadata import version

# what black's default mode with target py311 means, spelled for ruff; --isolated: no
# pyproject.toml or ruff.toml of the user's may change it
RUFF_ARGS = ("format", "--isolated", "--line-length", "88", "--target-version", "py311", "-")
# characters both measure as 1 column (Latin, Greek and Cyrillic letters, punctuation,
# currency; tests/unit/test_format.py checks each one): these need no stand-in
SAME_WIDTH = (
    "\u00a1-\u00ac\u00ae-\u02ff\u0391-\u03a1\u03a3-\u03c9\u0400-\u0482\u048a-\u04ff"
    "\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
)
OTHER_WIDTH = re.compile(f"[^\\x00-\\x7f{SAME_WIDTH}]")
# stand-ins by black's width (its table knows 1 and 2), measured the same by ruff; neither is
# in SAME_WIDTH, so each such character in ruff's output is a stand-in
STAND_INS = {1: "\u0531", 2: "\u4e00"}
# a line that starts with `|`: a union split over lines, maybe a parameter's annotation
SPLIT_UNION = re.compile(r"^ *\| ", re.MULTILINE)


@cache
def formatter() -> str:
    """The tools that shaped the bytes, as the lock records them."""
    return f"ruff {version('ruff')} + black {version('black')}"


def format_python(sources: Sequence[str]) -> list[str]:
    """Each module in black's style; the ruff processes start together and run in parallel."""
    masked = [_mask(source) for source in sources]
    procs = [_ruff() for _ in sources]
    out = []
    try:
        for source, mask, proc in zip(sources, masked, procs, strict=True):
            stdout, stderr = proc.communicate("" if mask is None else mask[0])
            if proc.returncode != 0:
                raise RuntimeError(f"ruff format failed on generated code: {stderr.strip()}")
            formatted = None if mask is None else _unmask(stdout, mask[1])
            out.append(
                _black(source) if formatted is None else _black_where_ruff_differs(formatted)
            )
    finally:  # after a failure, no ruff is left waiting for its input
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    return out


def tidy(text: str) -> str:
    """No trailing spaces or tabs, exactly one final newline. Only ``\n`` ends a line (a
    template's text may hold U+2028 or a form feed inside a literal) and a ``\r`` before it
    goes, so a CRLF template gives LF output."""
    lines = [line.rstrip(" \t\r") for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _ruff() -> subprocess.Popen[str]:
    from ruff import find_ruff_bin  # type: ignore[import-untyped]

    return subprocess.Popen(
        [find_ruff_bin(), *RUFF_ARGS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
    )


def _mask(source: str) -> tuple[str, list[str]] | None:
    """``source`` with every character the two may measure differently replaced by a
    stand-in of its black width, and the characters replaced, in order; None for a width
    without a stand-in."""
    chars = OTHER_WIDTH.findall(source)
    if not chars:
        return source, []
    from black.strings import char_width  # imports black: only for such characters

    widths = {c: char_width(c) for c in set(chars)}
    if not set(widths.values()) <= STAND_INS.keys():
        return None
    stand_ins: Iterator[str] = (STAND_INS[widths[c]] for c in chars)
    return OTHER_WIDTH.sub(lambda _: next(stand_ins), source), chars


def _unmask(text: str, originals: list[str]) -> str | None:
    """The characters back in place; None when ruff added or dropped one (then black
    formats the module)."""
    found = OTHER_WIDTH.findall(text)
    if len(found) != len(originals) or not set(found) <= set(STAND_INS.values()):
        return None
    chars: Iterator[str] = iter(originals)
    return OTHER_WIDTH.sub(lambda _: next(chars), text) if originals else text


@cache
def _black_format() -> Callable[[str], str]:
    import black
    from black.mode import Mode, TargetVersion

    mode = Mode(target_versions={TargetVersion.PY311})
    return lambda source: black.format_str(source, mode=mode)


def _black(source: str) -> str:
    return _black_format()(source)


def _black_where_ruff_differs(text: str) -> str:
    """``text`` (ruff's) with black's layout for the functions where ruff's differs: those
    with a parameter annotation that is a union split over lines."""
    if not SPLIT_UNION.search(text):
        return text
    fixes: list[tuple[int, int, int]] = []  # a function's first and last line, its depth
    for func, depth in _functions(ast.parse(text)):
        first = min([func.lineno, *(d.lineno for d in func.decorator_list)])
        if (not fixes or first > fixes[-1][1]) and _split_union(func):  # nested: with its parent
            fixes.append((first, func.end_lineno or func.lineno, depth))
    lines = text.split("\n")  # as ast counts lines: not at \u2028, \x85 and the like
    for first, last, depth in reversed(fixes):
        fixed = _black_chunk(lines[first - 1 : last], depth)
        if fixed is None:
            return _black(text)
        lines[first - 1 : last] = fixed
    return "\n".join(lines)


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(tree: ast.Module) -> list[tuple[Function, int]]:
    """Every function with its nesting depth, in source order."""
    found: list[tuple[Function, int]] = []

    def visit(node: ast.AST, depth: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, Function):
                found.append((child, depth))
            visit(child, depth + 1 if isinstance(child, ast.stmt) else depth)

    visit(tree, 0)
    return found


def _split_union(func: Function) -> bool:
    args = func.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return any(
        isinstance(a.annotation, ast.BinOp) and a.annotation.lineno != a.annotation.end_lineno
        for a in every
        if a is not None and a.annotation is not None
    )


def _black_chunk(chunk: list[str], depth: int) -> list[str] | None:
    """black's version of one function, formatted at its own depth inside stand-in classes;
    None if black's output does not start with them."""
    wrapper = [f"{'    ' * level}class _:" for level in range(depth)]
    out = _black("\n".join([*wrapper, *chunk, ""])).split("\n")
    if out[:depth] != wrapper or out[-1] != "":
        return None
    body = out[depth:-1]
    while body and not body[0]:
        body.pop(0)
    return body
