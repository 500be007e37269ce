"""What `restructure check PATH` checks: the baseline, shipped scenarios, structure files by date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import BASELINE, SCENARIOS
from mini import MINI
from restructure.checks import check_path, check_scenario, run_state, structure_dates
from restructure.errors import RestructureError
from restructure.scenario import is_scenario, load_scenario
from restructure.structure import Structure

TODAY = dt.date(2026, 11, 25)


def test_baseline_has_no_error_findings_today(baseline):
    findings = run_state(baseline, TODAY)
    assert [f for f in findings if f.severity.value == "error"] == []


def test_baseline_file_checked_on_today():
    report = check_path(str(BASELINE), today=TODAY)
    assert report.dates == (TODAY,)
    assert report.ok and report.subject == "Thames Valley baseline"


def test_structure_checked_today_and_on_later_changes(tmp_path):
    s = Structure.from_yaml(MINI)
    town = s.body("town-csp")
    s.replace(town, town.model_copy(update={"end": dt.date(2028, 4, 1)}))
    path = tmp_path / "proposed.yaml"
    s.save(path)
    assert structure_dates(s, TODAY) == [TODAY, dt.date(2028, 4, 1)]
    report = check_path(str(path), today=TODAY)
    assert report.dates == (TODAY, dt.date(2028, 3, 31), dt.date(2028, 4, 1))
    assert {(f.code, f.date) for f in report.errors} >= {("SVD001", dt.date(2028, 4, 1)), ("REP003", dt.date(2028, 4, 1))}


def test_structure_as_of_checks_one_date(tmp_path):
    path = tmp_path / "mini.yaml"
    on = dt.date(2024, 1, 31)
    path.write_text(MINI.replace("start: 2024-01-31", "start: 2024-03-01"), encoding="utf-8")
    report = check_path(str(path), as_of=on)
    assert report.dates == (on,)
    assert {f.code for f in report.errors} == {"STR001"}  # published after they were due


def test_structure_against_a_base(tmp_path):
    s = Structure.from_yaml(MINI)
    (rel,) = list(s.relations("covers", source="north-csp"))
    s.remove(rel)
    proposed, base = tmp_path / "proposed.yaml", tmp_path / "base.yaml"
    s.save(proposed)
    base.write_text(MINI, encoding="utf-8")
    report = check_path(str(proposed), base=str(base), today=TODAY)
    assert [f.message for f in report.findings if f.code == "TRN002"] == [
        "North (D1) lost its Community Safety Partnership on 2026-11-25 (was North CSP)"
    ]


def test_missing_file_is_a_one_line_error():
    with pytest.raises(RestructureError, match="no-such.yaml: no such file"):
        check_path("no-such.yaml")


def _shipped():
    out = []
    for path in sorted(SCENARIOS.rglob("*.yaml")):
        sc = load_scenario(path) if is_scenario(_data(path)) else None
        if sc is not None and sc.expected is not None and sc.base is not None:
            out.append((path, sc))
    return out


def _data(path: Path):
    from restructure.io.yamlfile import load

    return load(path).data


def test_shipped_scenarios_meet_their_expected_findings():
    checked = 0
    for path, sc in _shipped():
        report = check_scenario(sc)
        exp = sc.expected
        for severity, n in exp.findings.items():
            assert report.counts[severity] == n, f"{path}: {severity} {report.counts[severity]} != {n}\n" + "\n".join(
                f"{f.code} {f.message}" for f in report.findings
            )
        codes = {f.code for f in report.findings}
        assert set(exp.finding_codes) <= codes, f"{path}: {sorted(set(exp.finding_codes) - codes)} not found"
        checked += 1
    assert checked >= 2  # the Oxfordshire options at least
