"""Spreadsheet output: one CSV writer for every command.

RFC 4180: a header row, one record per line ended by CRLF, fields quoted when
they hold a comma, a quote or a line break. Text written to a file or to
standard output starts with a UTF-8 byte order mark, so Excel opens it as
UTF-8 rather than guessing a legacy code page.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'``:
a spreadsheet would otherwise run it as a formula (CSV injection). Numbers
are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["BOM", "cell", "dumps", "write"]

BOM = "\ufeff"
"""The UTF-8 byte order mark written before CSV text, for Excel."""

def cell(value: Any) -> Any:
    """One field as written: ``None`` empty, lists joined with ``; ``, formulas defused.

    Examples
    --------
    >>> cell(None), cell(3), cell(["a", "b"]), cell("=1+1"), cell("-3 days")
    ('', 3, 'a; b', "'=1+1", "'-3 days")
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        value = "; ".join(str(cell(v)) for v in value)
    from ..text import csv_cell

    return csv_cell(value)  # the one escaping module says what a spreadsheet would run


def dumps(header: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = False) -> str:
    """Rows as RFC 4180 CSV text: the header row first, CRLF after every record.

    Parameters
    ----------
    header : sequence of str
        The column names.
    rows : iterable of sequences
        One record each, as long as the header.
    bom : bool
        Start with the UTF-8 byte order mark (for a file or standard output).

    Examples
    --------
    >>> dumps(["area", "note"], [["Reading", 'a "quoted", note']])
    'area,note\\r\\nReading,"a ""quoted"", note"\\r\\n'
    """
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([cell(h) for h in header])
    for row in rows:
        w.writerow([cell(v) for v in row])
    return buf.getvalue()


def write(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write CSV (with the byte order mark) to a file, atomically: a failure leaves no file."""
    from .atomic import write_atomic

    return write_atomic(path, dumps(header, rows, bom=True))
