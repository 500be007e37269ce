"""Tests of restructure.text: what a name may hold, and how each output escapes it."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from restructure.model import Area, Body
from restructure.operations import Rename
from restructure.text import check_name, check_text, csv_cell, forbidden, label, markdown, short, terminal

CONTROL = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("ch", CONTROL + BIDI)
def test_every_control_and_bidi_character_is_refused_in_a_name_with_its_code_point(ch):
    with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
        check_name(f"Slough{ch}x")


@pytest.mark.parametrize("ch", [c for c in CONTROL if c not in "\t\n"] + BIDI)
def test_text_refuses_them_too_but_tab_and_newline(ch):
    assert check_text("one\n\ttwo") == "one\n\ttwo"
    with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
        check_text(f"note{ch}")


@pytest.mark.parametrize("name", ["Ynys Môn", "Rhondda Cynon Taf", "Bristol, City of", "Ceredigion\u200f", "Slough 😀"])
def test_ordinary_names_pass(name):
    assert check_name(name) == name and forbidden(name) is None


def test_models_refuse_them_with_the_field():
    with pytest.raises(ValidationError, match="(?s)name.*U\\+001B"):
        Area(id="E1", name="Slough\x1b[2J", kind="unitary")
    with pytest.raises(ValidationError, match="(?s)id.*U\\+0007"):
        Body(id="csp\a", name="CSP", kind="other")
    with pytest.raises(ValidationError, match="(?s)note.*U\\+202E"):
        Body(id="csp", name="CSP", kind="other", note="see \u202eorder")
    with pytest.raises(ValidationError, match="U\\+202E"):
        Rename(id="csp", name="Slough\u202egnp.exe")
    assert Body(id="csp", name="CSP", kind="other", note="line one\n\tline two").note == "line one\n\tline two"


@given(st.text())
def test_terminal_output_holds_no_control_character(value):
    out = terminal(value, keep="")
    assert forbidden(out) is None
    assert not any(unicodedata.category(c) == "Cc" for c in out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_terminal_leaves_printable_text_alone(value):
    if forbidden(value) is None:
        assert terminal(value) == value


@given(st.text())
def test_csv_cell_never_starts_a_formula_and_round_trips_through_csv(value):
    cell = csv_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (value, "'" + value)
    buf = io.StringIO()
    csv.writer(buf).writerow([cell, "next"])
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == [cell, "next"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+44 1865", "'+44 1865"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("Oxford", "Oxford")],
)
def test_csv_cell_quotes_formula_leads(value, cell):
    assert csv_cell(value) == cell


@given(st.text(max_size=300))
def test_markdown_opens_no_tag_link_or_cell(value):
    out = markdown(value)
    assert "<" not in out and "\n" not in out
    for ch in "[]|`*":
        # every one of them is escaped (preceded by an odd run of backslashes)
        i = out.find(ch)
        while i >= 0:
            run = len(out[:i]) - len(out[:i].rstrip("\\"))
            assert run % 2 == 1, (value, out)
            i = out.find(ch, i + 1)


@given(st.text(min_size=1, max_size=20_000))
def test_labels_are_bounded(name):
    lines = label(name)
    assert len(lines) <= 11 and all(len(x) <= 56 for x in lines)
    assert len(short(name)) <= 150


def test_long_names_end_in_an_ellipsis_and_short_ones_are_untouched():
    assert label("Cherwell") == ["Cherwell"]
    lines = label("Slough " + "x" * 10_000)
    assert lines[-1].endswith("…") and sum(map(len, lines)) < 160
