"""Tests of restructure.appraisal: options side by side, gap days, every rendering."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import types

import pytest

from conftest import SCENARIOS
from pack_fixtures import GAP_FROM, MERGE_ON, small_scenario
from restructure.appraisal import Gap, _union_days, compare_options, plain
from restructure.errors import RestructureError, ScenarioError
from restructure.io.csvfile import BOM
from test_render_fixtures import small

OXON = SCENARIOS / "oxfordshire"
THREE = [OXON / "one-unitary.yaml", OXON / "two-unitaries.yaml", OXON / "three-unitaries.yaml"]
D = dt.date


@pytest.fixture(scope="module")
def three():
    return compare_options(THREE)


@pytest.fixture(scope="module")
def pair():
    return compare_options([OXON / "two-unitaries.yaml", OXON / "csp-merge.yaml"])


def test_gap_days_two_unitaries_and_csp_merge(pair):
    assert pair.row("seat_gap_days").values == (183, 0)
    assert pair.row("duty_gap_days").values == (0, 0)
    two = pair.options[0]
    assert [(g.name, g.start, g.until, g.days) for g in two.seat_gaps] == [
        ("Ridgeway", D(2028, 4, 1), D(2028, 10, 1), 183)
    ]
    assert two.problems()[0] == "Ridgeway has no Strategy Board seat from 1 April 2028 to 1 October 2028: 183 days."
    assert pair.options[1].problems() == []
    assert pair.options[1].verdict().startswith("Oxfordshire district CSPs merged into one: no gap.")


def test_rows_answer_the_boards_questions(three):
    assert three.labels == [
        "Oxfordshire as one unitary",
        "Oxfordshire and West Berkshire as two unitaries (Oxford and Shires, Ridgeway)",
        "Oxfordshire and West Berkshire as three unitaries (Greater Oxford, Northern Oxfordshire, Ridgeway)",
    ]
    assert three.row("local_areas").values == (9, 9, 10)
    assert three.row("board_seats").values == (9, 9, 10)
    assert three.row("councils_created").values == (1, 2, 3)
    assert three.row("councils_abolished").cells[1].detail.count(";") == 6  # seven councils
    assert three.row("units_changing_csp").values[0] == 5
    assert three.row("straddles").values == (0, 2, 2)
    assert "Royal Berkshire Fire Authority" in three.row("straddles").cells[1].detail
    errors = three.row("errors")
    assert errors.values == (1, 7, 8)
    assert "REP001 a local area has no seat on the Strategy Board" in errors.cells[1].detail
    assert three.row("members_missing").values == (0, 0, 0)


def test_markdown_one_column_per_option(three):
    md = three.render_markdown().splitlines()
    head = md[0]
    assert head.count(" | ") == 3 and "Oxfordshire as one unitary" in head
    table = [line for line in md if line.startswith("|")]
    assert all(line.count(" | ") == 3 for line in table[2:])
    assert "| Days any local area lacks a Board seat | 0 | 183: Ridgeway 2028-04-01 to 2028-10-01 |" in "\n".join(md)


def test_csv_parses_one_column_per_option(three):
    text = three.render_csv()
    assert text.startswith(BOM) and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0] == ["question", *three.labels]
    gap = next(r for r in rows if r[0] == "Days any local area lacks a Board seat")
    assert gap == ["Days any local area lacks a Board seat", "0", "183", "183"]
    assert all(len(r) == 4 for r in rows)


def test_json_parses(three):
    data = json.loads(three.render_json())
    assert data["schema"] == "restructure-compare/1"
    assert [o["label"] for o in data["options"]] == three.labels
    seat = next(r for r in data["rows"] if r["key"] == "seat_gap_days")
    assert seat["values"] == [0, 183, 183]
    assert data["options"][1]["problems"][0].startswith("Ridgeway has no Strategy Board seat")


def test_html_and_text(three):
    html = three._repr_html_()
    assert html.startswith('<table class="appraisal">') and html.count('<th scope="col">') == 3
    assert "<small>Ridgeway 2028-04-01 to 2028-10-01</small>" in html
    text = three.render_text()
    assert text.startswith("(1) Oxfordshire as one unitary\n")
    assert "Days any local area lacks a Board seat" in text and "183" in text


def test_to_pandas_needs_the_notebook_extra(three, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(RestructureError, match=r"pandas is not installed.*restructure\[notebook\]"):
        three.to_pandas()


def test_to_pandas_builds_a_frame(three, monkeypatch):
    made = {}
    fake = types.ModuleType("pandas")
    fake.DataFrame = lambda data, index, columns: made.update(data=data, index=index, columns=columns) or "frame"
    monkeypatch.setitem(sys.modules, "pandas", fake)
    assert three.to_pandas() == "frame"
    assert made["columns"] == three.labels and made["index"][0] == "Local areas after"
    assert made["data"][made["index"].index("Days any local area lacks a Board seat")] == [0, 183, 183]


def test_same_names_told_apart_by_file(tmp_path):
    copy = tmp_path / "copy.yaml"
    text = (OXON / "csp-merge.yaml").read_text(encoding="utf-8").replace("../baseline/", str(SCENARIOS / "baseline") + "/")
    copy.write_text(text, encoding="utf-8")
    a = compare_options([OXON / "csp-merge.yaml", copy])
    assert a.labels == ["Oxfordshire district CSPs merged into one (csp-merge.yaml)",
                        "Oxfordshire district CSPs merged into one (copy.yaml)"]


def test_an_option_that_fails_names_file_and_option(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Broken option\nbase: nowhere.yaml\nphases: []\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"^option 'Broken option' \(.*bad\.yaml\) does not apply: "):
        compare_options([OXON / "csp-merge.yaml", bad])


def test_a_stored_ref_needs_a_base():
    with pytest.raises(ScenarioError, match="is a stored structure, not a scenario"):
        compare_options(["baseline"])


def test_no_options():
    with pytest.raises(ScenarioError, match="no options to compare"):
        compare_options([])


def test_small_scenario_gap_and_base_given_as_structure():
    a = compare_options([small_scenario()], base=small())
    assert a.row("seat_gap_days").values == ((MERGE_ON - GAP_FROM).days,)
    # North and South Hills never had a Duty partnership: a gap with no end in the scenario
    assert a.row("duty_gap_days").values == ("no end",)


def test_union_of_gaps_counts_overlaps_once():
    g = [Gap("seat", "a", "A", D(2028, 1, 1), D(2028, 1, 11)), Gap("seat", "b", "B", D(2028, 1, 6), D(2028, 1, 16)),
         Gap("seat", "c", "C", D(2028, 2, 1), D(2028, 2, 2))]
    assert _union_days(g) == 16
    assert _union_days([]) == 0
    assert _union_days([Gap("duty", "a", "A", D(2028, 1, 1), None)]) is None


def test_plain_drops_ids_only():
    assert plain("Ridgeway (ridgeway) lost it (was Safer Oxfordshire Partnership)") == \
        "Ridgeway lost it (was Safer Oxfordshire Partnership)"
    assert plain("Cherwell (E07000177) and Oxford and Shires (oxford-and-shires)") == "Cherwell and Oxford and Shires"


def test_csv_details_follow_their_row(three):
    rows = list(csv.reader(io.StringIO(three.render_csv()[1:], newline="")))
    labels = [r[0] for r in rows]
    i = labels.index("Days any local area lacks a Board seat")
    assert rows[i + 1] == ["Days any local area lacks a Board seat: details", "", "Ridgeway 2028-04-01 to 2028-10-01",
                           "Ridgeway 2028-04-01 to 2028-10-01"]
