"""`restructure members`: who must sit on a partnership, in four formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import BASELINE, SCENARIOS
from restructure.cli import cli

TWO = SCENARIOS / "oxfordshire" / "two-unitaries.yaml"


def run(*args):
    return CliRunner().invoke(cli, ["members", *[str(a) for a in args]])


@pytest.fixture(scope="module")
def two_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("members") / "two.yaml"
    done = CliRunner().invoke(cli, ["apply", str(TWO), "-o", str(out)])
    assert done.exit_code == 0, done.output
    return out


def test_json_on_the_two_unitary_option(two_file):
    r = run("oxford-and-shires-csp", two_file, "--as-of", "2028-10-01", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert list(d)[:3] == ["partnership", "name", "on"]
    assert {"partnership", "on", "required", "members", "missing", "superfluous"} <= set(d)
    assert (d["partnership"], d["on"]) == ("oxford-and-shires-csp", "2028-10-01")
    required = [e["id"] for e in d["required"]]
    assert required == [
        "oxford-and-shires-council", "oxfordshire-fire", "oxfordshire-yjs",
        "probation-south-central", "thames-valley-icb", "thames-valley-police",
    ]
    assert "ridgeway-council" not in required + [e["id"] for e in d["members"]]
    assert (d["missing"], d["superfluous"]) == ([], [])
    assert all(e["reason"] for e in d["required"] + d["members"])


def test_text_lists_each_section():
    r = run("cherwell-csp", BASELINE, "--as-of", "2026-11-25")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == "Cherwell Safer Communities Partnership (cherwell-csp), on 2026-11-25"
    assert lines[1] == "  covers E07000177 (Crime and Disorder Act 1998 s.5)"
    assert "  Cherwell District Council (cherwell-dc): council serving the whole area; CDA 1998 s.5" in lines
    assert "Missing (0): none" in lines and "Superfluous (0): none" in lines


def test_a_scenario_file_stands_for_its_result():
    r = run("ridgeway-csp", TWO, "--as-of", "2028-10-01")
    assert r.exit_code == 0, r.output
    assert "  Royal Berkshire Fire Authority (royal-berkshire-fire): fire and rescue authority serving part of the area (West Berkshire); CDA 1998 s.5; PCSC Act 2022 s.11, Sch.1" in r.output


def test_csv_is_rfc_4180_utf8_with_bom():
    r = CliRunner().invoke(cli, ["members", "reading-csp", str(BASELINE), "--as-of", "2026-11-25", "--format", "csv"])
    assert r.exit_code == 0, r.output
    raw = r.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfpartnership,on,section,id,name,kind,role,whole,reason\r\n")
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ends CRLF
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    sections = {r["section"] for r in rows}
    assert sections == {"required", "members"}
    police = next(r for r in rows if r["id"] == "thames-valley-police" and r["section"] == "required")
    assert police["whole"] == "yes" and police["role"] == ""
    assert police["reason"] == "chief officer of police serving the whole area; CDA 1998 s.5; PCSC Act 2022 s.11, Sch.1"


def test_markdown_tables():
    r = run("reading-csp", BASELINE, "--as-of", "2026-11-25", "--format", "markdown")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("### Members of Reading Community Safety Partnership (reading-csp), on 2026-11-25\n")
    assert "| body | id | role | reason |" in r.output
    assert "**Missing** (0)\n\nNone." in r.output


def test_default_structure_is_the_baseline():
    assert run("reading-csp", "--as-of", "2026-11-25").output == run("reading-csp", BASELINE, "--as-of", "2026-11-25").output


def test_errors_are_one_line():
    r = run("tv-pcc", BASELINE, "--as-of", "2026-11-25")
    assert r.exit_code == 1
    assert r.output == (
        "Error: 'tv-pcc' (Office of the Police and Crime Commissioner for Thames Valley) is not a Community Safety "
        "Partnership or Duty partnership on 2026-11-25: it covers no area and discharges the Serious Violence Duty "
        "for none. Give a partnership that covers or discharges for an area (see `restructure show --body`).\n"
    )
    r = run("cherwel-csp", BASELINE)
    assert r.exit_code == 1 and r.output == "Error: unknown body 'cherwel-csp'. Did you mean 'cherwell-csp'?\n"
    r = run("cherwell-csp", BASELINE, "--format", "xml")
    assert r.exit_code == 2


def test_help():
    r = CliRunner().invoke(cli, ["members", "--help"])
    assert r.exit_code == 0
    assert "Crime and Disorder Act 1998 s.5" in r.output and "restructure members cherwell-csp" in r.output
