"""Print records as a table, JSON, CSV or TSV: the one place output formats live."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from collections.abc import Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "csv", "tsv")
#: Columns of free text: in a table they take the width the others leave.
WIDE_COLUMNS = {"words", "quote", "question", "message"}


#: C0 and C1 control characters (ESC, BEL, CR, DEL …) and the Unicode bidi overrides: data that
#: holds them could move the cursor, clear the screen or reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, newlines: bool = True) -> str:
    """``text`` fit for a terminal: control characters are shown as ``\\x1b``-style escapes
    (tabs and, unless ``newlines`` is false, line breaks are kept). Every piece of data the CLI
    prints to a person goes through here."""
    out = _CONTROL.sub(_escaped, str(text))
    return out if newlines else out.replace("\n", "\\n").replace("\t", "\\t")


#: What JSON leaves raw in strings but a terminal may act on (it escapes the C0 range itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(value: Any) -> str:
    """``value`` as indented JSON, non-ASCII text kept readable but every control character
    written as a ``\\u`` escape (still the same JSON value)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def write_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    title: str | None = None,
) -> None:
    """Write ``rows`` (dicts) to ``out`` in ``fmt``; ``columns`` picks and orders the keys for
    table/CSV/TSV (JSON keeps every key)."""
    out = out or sys.stdout
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        out.write(json_text(list(rows)))
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        # A file or pipe gets the data as it is; a terminal never gets raw control characters.
        shown = safe if is_terminal(out) else str
        writer.writerow(cols)
        for row in rows:
            writer.writerow([shown(_cell(row.get(c))) for c in cols])
    elif fmt == "table":
        write_table(rows, cols, out, title)
    else:
        raise ValueError(f"unknown output format {fmt!r}")


def write_table(rows: Sequence[dict[str, Any]], cols: Sequence[str], out: TextIO, title: str | None) -> None:
    """A rich table, as wide as the terminal (or 160 columns when not writing to one)."""
    from rich.console import Console
    from rich.table import Table

    width = shutil.get_terminal_size((160, 24)).columns if out.isatty() else 160
    console = Console(file=out, width=width, highlight=False, soft_wrap=False, emoji=False, markup=False)
    wide = any(c in WIDE_COLUMNS for c in cols)
    table = Table(title=safe(title) if title is not None else None, show_lines=wide, expand=wide)
    # The free text is what a reader came for: it keeps a third of the width (at least 24
    # characters) however many other columns there are; they wrap to make room.
    n_wide = sum(c in WIDE_COLUMNS for c in cols)
    least = max(24, width // (3 * max(1, n_wide)))
    others = len(cols) - n_wide
    narrow = max(10, min(28, (width - 3 * len(cols) - 1 - least * n_wide) // max(1, others)))
    for col in cols:
        is_wide = col in WIDE_COLUMNS
        table.add_column(
            col.replace("_", " "),
            overflow="fold",
            ratio=1 if is_wide else None,
            min_width=least if is_wide else None,
            max_width=None if is_wide or not wide else narrow,
        )
    for row in rows:
        table.add_row(*(safe(_cell(row.get(c))) for c in cols))
    console.print(table)


def for_terminal(text: str, out: TextIO | None = None) -> str:
    """Machine-readable ``text`` (SPARQL results, Turtle) as written to ``out`` (stdout by
    default): unchanged for a file or a pipe, control characters escaped for a terminal."""
    return safe(text) if is_terminal(out or sys.stdout) else text


def is_terminal(out: TextIO) -> bool:
    """Whether ``out`` is a terminal (a person reads it) rather than a file or a pipe."""
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def to_text(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """:func:`write_rows` into a string."""
    buf = io.StringIO()
    write_rows(rows, fmt, columns, buf)
    return buf.getvalue()
