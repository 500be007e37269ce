"""Tests of restructure.io.csvfile: RFC 4180, a header row, the byte order mark, formulas defused."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restructure.io.csvfile import BOM, cell, dumps, write


def test_header_then_one_record_per_line_crlf():
    text = dumps(["a", "b"], [[1, "x"], [2, "y, z"]])
    assert text == 'a,b\r\n1,x\r\n2,"y, z"\r\n'


def test_bom_only_when_asked():
    assert dumps(["a"], [], bom=True) == BOM + "a\r\n"
    assert not dumps(["a"], []).startswith(BOM)


def test_formulas_are_defused_numbers_kept():
    assert cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [cell(x) for x in ("+1", "-1", "@SUM(A1)", "\tx")] == ["'+1", "'-1", "'@SUM(A1)", "'\tx"]
    assert cell(-3) == -3 and cell(2.5) == 2.5 and cell(None) == "" and cell(True) == "yes"
    assert cell(["a", "=b"]) == "a; '=b"


def test_write_makes_folders_and_starts_with_bom(tmp_path):
    path = write(tmp_path / "out" / "t.csv", ["area", "name"], [["E07000177", "Cherwell"]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"Cherwell\r\n")
    assert not (tmp_path / "out" / "t.csv.tmp").exists()


CELLS = st.text(alphabet=st.sampled_from('ab ,;"\'\r\n\t=+-@é€\u2028'), max_size=8)


# The machine is shared: drawing text can be slow under load, which says nothing about the writer.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CELLS, CELLS | st.integers()), max_size=5))
def test_round_trip_through_csv_module(rows):
    text = dumps(["x", "y"], rows, bom=True)
    assert text.startswith(BOM)
    back = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert back[0] == ["x", "y"]
    assert back[1:] == [[str(cell(v)) for v in r] for r in rows]
    assert all(not str(cell(v)).startswith(("=", "+", "-", "@")) for r in rows for v in r if isinstance(v, str))
