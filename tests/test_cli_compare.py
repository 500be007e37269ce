"""`restructure compare`: options side by side in every format, files written, exact errors."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from conftest import SCENARIOS
from restructure.cli import cli

OXON = SCENARIOS / "oxfordshire"
THREE = [OXON / "one-unitary.yaml", OXON / "two-unitaries.yaml", OXON / "three-unitaries.yaml"]


def run(*args):
    return CliRunner().invoke(cli, ["compare", *[str(a) for a in args]])


def test_text_is_the_default():
    r = run(OXON / "two-unitaries.yaml", OXON / "csp-merge.yaml")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("(1) Oxfordshire and West Berkshire as two unitaries")
    line = next(x for x in r.output.splitlines() if x.startswith("Days any local area lacks a Board seat"))
    assert line.split()[-2:] == ["183", "0"]
    assert "    Ridgeway has no Strategy Board seat from 1 April 2028 to 1 October 2028: 183 days." in r.output


def test_every_format_of_three_options():
    r = run(*THREE, "--format", "csv")
    assert r.exit_code == 0 and r.output.startswith("\ufeffquestion,")
    rows = list(csv.reader(io.StringIO(r.output[1:], newline="")))
    assert len(rows[0]) == 4 and all(len(x) == 4 for x in rows)
    r = run(*THREE, "--format", "json")
    assert json.loads(r.output)["rows"][0]["values"] == [9, 9, 10]
    r = run(*THREE, "--format", "markdown")
    assert r.output.splitlines()[0].count(" | ") == 3
    r = run(*THREE, "--format", "html")
    assert r.output.startswith("<!DOCTYPE html>") and r.output.count('<th scope="col">') == 3


def test_output_file(tmp_path):
    out = tmp_path / "out" / "options.csv"
    r = run(OXON / "csp-merge.yaml", "--format", "csv", "-o", out)
    assert r.exit_code == 0 and r.output == f"Wrote {out} (1 option)\n"
    assert out.read_bytes().startswith(b"\xef\xbb\xbfquestion,")


def test_failing_option_is_one_line_and_nothing_written(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Broken option\nbase: nowhere.yaml\nphases: []\n", encoding="utf-8")
    out = tmp_path / "x.csv"
    r = run(OXON / "csp-merge.yaml", bad, "-o", out)
    assert r.exit_code == 1
    assert r.output.startswith(f"Error: option 'Broken option' ({bad}) does not apply: ")
    assert r.output.count("\n") == 1 and not out.exists()


def test_needs_an_option():
    r = run()
    assert r.exit_code == 2 and "Missing argument 'OPTION...'" in r.output


def test_stored_refs_with_a_base(tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--baseline", str(SCENARIOS / "baseline" / "thames-valley.yaml"),
                               "--db", db]).exit_code == 0
    r = runner.invoke(cli, ["apply", str(OXON / "two-unitaries.yaml"), "--branch", "oxon-two", "--db", db])
    assert r.exit_code == 0, r.output
    r = run("oxon-two", OXON / "csp-merge.yaml", "--base", "baseline", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [o["source"] for o in data["options"]] == ["oxon-two", str(OXON / "csp-merge.yaml")]
    seat = next(x for x in data["rows"] if x["key"] == "seat_gap_days")
    assert seat["values"] == [183, 0]  # the stored version keeps its dates: the gap shows
    r = run("oxon-two", "--db", db)
    assert r.exit_code == 1 and "'oxon-two' is a stored structure, not a scenario" in r.output
