"""codegen.format: ruff shapes the bytes, and black would change none of them.

Each case below is one where ruff's own output differs from black's (checked first, so a
case that stops differing in a later ruff is noticed and can go).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion
from black.strings import char_width
from click.testing import CliRunner
from ruff import find_ruff_bin  # type: ignore[import-untyped]

from codegen.cli import main
from codegen.format import OTHER_WIDTH, RUFF_ARGS, STAND_INS, format_python, formatter, tidy
from tests.paths import SCHEMAS

MODE = Mode(target_versions={TargetVersion.PY311})
LONG = '"aaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccc", "ddddddddddddddddddddddd"'

SPLIT_UNION = f"""class Client:
    def predict(
        self,
        *,
        choice: Literal[{LONG}] | None = None,
        other: Literal[{LONG}] | int,
    ) -> None:
        pass
"""
# "e" and a combining accent (as macOS spells an é) is 2 columns to black, 1 to ruff
WIDE = 'x = f("' + "e\u0301" * 5 + "a" * 45 + '", "bbbbbbbbbbbbbbbbbbbbb")\n'
TABBED_DOCSTRING = '''class Client:
    def predict(self) -> None:
        """Runs it.
one
\ttwo, after a tab
        """
'''
# str.splitlines would count these as line ends, ast (and so the lines to fix) does not
LINE_SEPARATORS = '"""Text with \u2028 and \x85 and \x0c."""\n\n\n' + SPLIT_UNION
CASES = {"split union": SPLIT_UNION, "wide characters": WIDE, "line separators": LINE_SEPARATORS}


def ruff_alone(source: str) -> str:
    args = [find_ruff_bin(), *RUFF_ARGS]
    return subprocess.run(args, input=source, capture_output=True, text=True).stdout


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_where_ruff_differs_from_black_the_output_is_blacks(source: str) -> None:
    expected = black.format_str(source, mode=MODE)
    assert ruff_alone(source) != expected, "ruff now agrees: this case can go"
    assert format_python([source]) == [expected]


def test_a_tabbed_docstring_keeps_ruffs_indentation_which_black_keeps_too() -> None:
    (out,) = format_python([TABBED_DOCSTRING])
    assert out != black.format_str(TABBED_DOCSTRING, mode=MODE)
    assert out == ruff_alone(TABBED_DOCSTRING) == black.format_str(out, mode=MODE)


def test_characters_left_as_they_are_and_the_stand_ins_measure_the_same_to_both() -> None:
    """Four of each on a line that fits in 88 columns by black's measure, and on one a
    column too long: ruff must break the same lines."""
    kept = [c for c in map(chr, range(0x80, 0x3000)) if not OTHER_WIDTH.match(c)]
    assert len(kept) > 1000 and {char_width(c) for c in kept} == {1}
    lines = []
    for c in [*kept, *STAND_INS.values()]:
        for total in (88, 89):
            pad = "a" * (total - len('x = f("", "bbbbbbbbbbbbbbbbbbbbb")') - 4 * char_width(c))
            lines.append(f'x = f("{c * 4}{pad}", "bbbbbbbbbbbbbbbbbbbbb")')
    probe = "\n".join(lines) + "\n"
    assert ruff_alone(probe) == black.format_str(probe, mode=MODE)
    assert [char_width(c) for c in STAND_INS.values()] == list(STAND_INS)
    assert all(OTHER_WIDTH.match(c) for c in STAND_INS.values())


def test_modules_come_back_in_order_and_plain_code_unchanged_by_black() -> None:
    sources = ["x  =  1\n", "def f( a ):\n  return a\n", SPLIT_UNION]
    out = format_python(sources)
    assert out == [black.format_str(s, mode=MODE) for s in sources]


def test_formatter_names_both_tools_and_their_versions() -> None:
    done = subprocess.run([find_ruff_bin(), "--version"], capture_output=True, text=True)
    assert formatter() == f"{done.stdout.strip()} + black {black.__version__}"


def test_the_lock_records_the_formatter(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = str(SCHEMAS / "hello_world" / "openapi.json")
    assert CliRunner().invoke(main, [src, "-o", str(out)]).exit_code == 0
    assert json.loads((out / "gradio-codegen.lock").read_text())["formatter"] == formatter()


def test_check_after_a_formatter_change_says_so_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = str(SCHEMAS / "hello_world" / "openapi.json")
    assert CliRunner().invoke(main, [src, "-o", str(out)]).exit_code == 0
    lock = out / "gradio-codegen.lock"
    lock.write_text(lock.read_text().replace(formatter(), "ruff 0.0.1 + black 1.0"))
    client = next(out.glob("python/*/client.py"))
    client.write_text(client.read_text().replace("\n\n\n", "\n\n\n\n"))  # a layout change
    result = CliRunner().invoke(main, [src, "-o", str(out), "--check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"out of date: {out} (1 file differs)"  # the lock is kept
    assert lines[1] == (
        f"1 Python file was formatted by ruff 0.0.1 + black 1.0; this gradio-codegen formats "
        f"with {formatter()}, so the layout may be all that changed"
    )
    assert not any(line.startswith(("---", "+++", "@@")) for line in lines)


def test_check_after_a_formatter_change_that_changed_no_byte_is_no_drift(tmp_path: Path) -> None:
    """Issue 21: the lock naming another formatter while the bytes are the same."""
    out = tmp_path / "out"
    src = str(SCHEMAS / "hello_world" / "openapi.json")
    assert CliRunner().invoke(main, [src, "-o", str(out)]).exit_code == 0
    lock = out / "gradio-codegen.lock"
    lock.write_text(lock.read_text().replace(formatter(), "ruff 0.0.1 + black 1.0"))
    result = CliRunner().invoke(main, [src, "-o", str(out), "--check"])
    assert result.exit_code == 0
    assert result.output == (
        f"up to date: {out} (its lock names ruff 0.0.1 + black 1.0; {formatter()} made the "
        "same bytes)\n"
    )


def test_code_ruff_cannot_parse_is_a_bug_of_ours_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="ruff format failed on generated code"):
        format_python(["x = (\n", "y = 1\n", "z = 2\n"])


def test_tidy_ends_lines_only_at_newlines() -> None:
    """Trailing blanks and a CRLF's ``\\r`` go; U+2028 and a form feed inside a line stay."""
    text = 'x = "a\u2028b\x0cc"  \r\ny = 1\t\n\n\n'
    assert tidy(text) == 'x = "a\u2028b\x0cc"\ny = 1\n'
