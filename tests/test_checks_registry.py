"""The rule registry, findings and --explain texts."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from restructure.checks import RULES, Finding, Severity, UnknownRule, explain, rule, rules
from restructure.errors import RestructureError


def test_codes_are_stable_and_grouped_by_concern():
    assert sorted(RULES) == [
        "ALN001", "ALN002", "BAS001", "BAS002", "CSP001", "CSP002", "CSP003", "DRF001", "LIN001", "LIN002",
        "LIN003", "LIN004", "LIN005", "LIN006", "MEM001", "MEM002",
        "MEM003", "MEM004", "REP001", "REP002", "REP003", "REP004", "STR001", "SVD001", "SVD002", "SVD003",
        "TRN001", "TRN002", "TRN003", "TRN004", "TRN005",
    ]
    concern = {"SVD": "coverage", "CSP": "coverage", "MEM": "membership", "REP": "representation",
               "LIN": "lineage", "STR": "strategy", "ALN": "alignment", "TRN": "transition", "DRF": "drafts",
               "BAS": "basis"}
    for code, r in RULES.items():
        assert r.concern == concern[code[:3]], code
        assert (r.kind == "transition") == code.startswith(("TRN", "BAS")), code


def test_every_rule_explains_its_basis():
    for r in rules():
        assert r.title and not r.title.endswith("."), r.code
        text = r.explanation()
        assert text.startswith(f"{r.code} ({r.severity.value}, {r.kind} rule): {r.title}\n\n")
        assert re.search(r"\bBasis\b|Statutory basis|Basis:", text), r.code


def test_explain_cites_the_acts():
    assert "Schedule 1" in explain("SVD001") and "Police, Crime, Sentencing and Courts Act 2022" in explain("SVD001")
    assert "Crime and Disorder Act 1998" in explain("csp001")  # codes are case-insensitive


def test_explain_unknown_code_lists_codes():
    with pytest.raises(UnknownRule, match=r"^unknown rule code 'XYZ001' \(codes: ALN001, ALN002, .*TRN005\)\. "):
        explain("XYZ001")
    assert issubclass(UnknownRule, RestructureError)


def test_rules_by_kind_sorted():
    assert [r.code for r in rules("transition")] == [
        "BAS001", "BAS002", "TRN001", "TRN002", "TRN003", "TRN004", "TRN005",
    ]
    assert all(r.kind == "state" for r in rules("state"))
    assert [r.code for r in rules()] == sorted(RULES)


def test_register_twice_is_a_bug():
    with pytest.raises(ValueError, match="SVD001 registered twice"):
        rule("SVD001", Severity.error, title="x", explain="y")(lambda snap: iter(()))


def test_finding_draft_sorts_ids_and_to_dict():
    f = Finding.draft("m", bodies=["b", "a", "a"], areas=["Z", "Y"])
    assert (f.bodies, f.areas, f.code) == (("a", "b"), ("Y", "Z"), "")
    g = Finding("SVD001", Severity.error, "m", dt.date(2028, 4, 1), ("a",), ("U",), dt.date(2028, 10, 1))
    assert g.to_dict() == {
        "code": "SVD001", "severity": "error", "message": "m", "date": "2028-04-01",
        "until": "2028-10-01", "bodies": ["a"], "areas": ["U"],
    }


def test_severity_order():
    assert [s.value for s in sorted(Severity, key=lambda s: s.rank)] == ["error", "warning", "info"]


def test_rule_callable_on_a_structure():
    from mini import mini

    s = mini()
    (rel,) = list(s.relations("discharges", source="town-csp"))
    s.remove(rel)
    (f,) = RULES["SVD001"](s, dt.date(2026, 11, 25))
    assert (f.code, f.severity, f.date) == ("SVD001", Severity.error, dt.date(2026, 11, 25))
    with pytest.raises(TypeError, match="TRN001 is a transition rule"):
        RULES["TRN001"](s, dt.date(2026, 11, 25))
    assert RULES["TRN001"](s, dt.date(2026, 11, 25), after=s) == []


def test_readme_section_lists_every_rule_as_registered():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z]{3}\d{3})` \| (\w+) \| (\w+) \| (.+) \|$", text, flags=re.M)
    assert sorted(rows) == sorted((r.code, r.severity.value, r.kind, r.title) for r in rules())
