"""Print records as a table, JSON, CSV or TSV: the one place output formats live."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "csv", "tsv")
#: Columns of free text: in a table they take the width the others leave.
WIDE_COLUMNS = {"words", "quote", "question", "message"}


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
        json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
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
    table = Table(title=title, show_lines=wide, expand=wide)
    for col in cols:
        is_wide = col in WIDE_COLUMNS
        table.add_column(
            col.replace("_", " "),
            overflow="fold",
            ratio=1 if is_wide else None,
            max_width=None if is_wide or not wide else 28,
        )
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in cols))
    console.print(table)


def to_text(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """:func:`write_rows` into a string."""
    buf = io.StringIO()
    write_rows(rows, fmt, columns, buf)
    return buf.getvalue()
