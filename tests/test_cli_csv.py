"""`--format csv` on show, check and diff: RFC 4180, a header row, UTF-8 with a byte order mark."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from conftest import BASELINE, SCENARIOS
from restructure.cli import cli

TWO = SCENARIOS / "oxfordshire" / "two-unitaries.yaml"


def rows(*args):
    r = CliRunner().invoke(cli, [str(a) for a in args])
    raw = r.stdout_bytes.decode("utf-8")  # bytes as written: Result.output folds CRLF
    assert raw.startswith("\ufeff"), raw[:200]
    assert "\r\n" in raw and "\n" not in raw.replace("\r\n", "")
    return r.exit_code, list(csv.reader(io.StringIO(raw[1:], newline="")))


def test_show_one_record_per_area():
    code, got = rows("show", BASELINE, "--as-of", "2026-11-25", "--format", "csv")
    assert code == 0
    assert got[0] == ["level", "id", "name", "kind", "csp", "duty_discharged_by", "board_seat_held_by"]
    assert ["district or unitary", "E07000177", "Cherwell", "district", "cherwell-csp", "safer-oxfordshire", ""] in got
    assert ["local area", "E06000038", "Reading", "", "", "reading-csp", "reading-csp"] in got
    assert len(got) == 1 + 9 + 13


def test_show_area_as_fields():
    code, got = rows("show", BASELINE, "--area", "E07000177", "--as-of", "2026-11-25", "--format", "csv")
    assert code == 0 and got[0] == ["field", "value"]
    assert ["covered_by", "cherwell-csp"] in got and ["board_seat", "E10000025: safer-oxfordshire"] in got


def test_check_one_finding_per_record_with_rule_title():
    code, got = rows("check", TWO, "--format", "csv")
    assert code == 1  # errors found: the exit code says so in every format
    assert got[0] == ["date", "until", "severity", "code", "rule", "finding", "bodies", "areas"]
    rep = [r for r in got if r[3] == "REP001"]
    assert rep == [["2028-04-01", "2028-10-01", "error", "REP001", "a local area has no seat on the Strategy Board",
                    "Ridgeway (ridgeway) has no seat on VPP Strategy Board", "tv-vpp-board", "ridgeway"]]
    assert len(got) == 1 + 12


def test_diff_one_change_per_record():
    code, got = rows("diff", TWO, "--format", "csv")
    assert code == 0 and got[0] == ["section", "change", "what"]
    assert ["Bodies", "added", "Ridgeway Council (ridgeway-council) created (unitary council)"] in got
    assert {r[1] for r in got[1:]} <= {"added", "ended", "changed"}
