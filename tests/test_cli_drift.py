"""`restructure drift`: the register against ONS and mySociety, and its exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import BASELINE
from restructure import data
from restructure.cli import cli
from test_drift import drifted


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_baseline_against_ons_2023_is_no_drift_exit_0():
    r = run("drift", BASELINE, "--as-of", "2026-11-25", "--exit-code")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "Thames Valley baseline on 2026-11-25 against LAD23_CSP23_PFA23_EW_LU.csv, LAD21_CTY21_EN_LU.csv, "
        "uk_local_authorities_future.csv: compared 13 units, 1 county and 14 councils",
        "No drift: the register agrees with the public lookups on everything both know.",
    ]


def test_two_changes_report_exactly_two_and_exit_1_with_exit_code(tmp_path, baseline):
    path = tmp_path / "drifted.yaml"
    drifted(baseline).save(path)
    r = run("drift", path, "--as-of", "2026-11-25", "--exit-code")
    assert r.exit_code == 1, r.output
    assert r.output.splitlines()[1:] == [
        "2 disagreements:",
        "  North Oxfordshire Council (E07000177): register says named 'North Oxfordshire Council', "
        "mySociety says 'Cherwell District Council'",
        "  Oxford (E07000178): register says not within a county, ONS says within Oxfordshire (E10000025)",
    ]
    assert run("drift", path, "--as-of", "2026-11-25").exit_code == 0  # drift is a result, not a failure
    r = run("drift", path, "--as-of", "2026-11-25", "--format", "json")
    assert [d["code"] for d in json.loads(r.output)["disagreements"]] == ["E07000177", "E07000178"]
    r = CliRunner().invoke(cli, ["drift", str(path), "--as-of", "2026-11-25", "--format", "csv"])
    assert r.stdout_bytes.startswith(b"\xef\xbb\xbfcode,name,record,field,register,public,source,message\r\n")
    assert r.stdout_bytes.count(b"\r\n") == 3
    r = run("drift", path, "--as-of", "2026-11-25", "--format", "markdown")
    assert r.output.count("\n| E07") == 2


def test_a_lookup_of_the_wrong_kind_is_one_line_naming_the_columns():
    r = run("drift", BASELINE, "--ons", data.path("mysociety/uk_local_authorities_future.csv"))
    assert r.exit_code == 1
    assert r.output.count("\n") == 1
    assert r.output.startswith("Error: ")
    assert "is not an ONS 'LAD to CSP to PFA' lookup: drift needs the columns LADyyCD, LADyyNM, PFAyyCD, PFAyyNM" in r.output
    assert r.output.rstrip().endswith("Give an ONS 'LAD to CSP to PFA' lookup with --ons.")


def test_a_missing_file_and_a_bad_format():
    r = run("drift", BASELINE, "--councils", "no-such.csv")
    assert r.exit_code == 1 and "no-such.csv: no such file" in r.output
    r = run("drift", BASELINE, "--format", "xml")
    assert r.exit_code == 2 and "'xml' is not one of 'text', 'json', 'csv', 'markdown'" in r.output
