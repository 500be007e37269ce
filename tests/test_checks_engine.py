"""Running the rules over time: check_timeline, the report and its renderings."""

from __future__ import annotations

import datetime as dt
import json

from mini import mini
from restructure.apply import apply
from restructure.checks import (
    Config,
    Finding,
    Report,
    Severity,
    check_timeline,
    evaluation_dates,
    render_json,
    render_markdown,
    render_text,
    run_state,
)
from restructure.model import Body, Relation
from restructure.operations import CreateBody, Dissolve

P1 = dt.date(2027, 5, 6)
P2 = dt.date(2028, 4, 1)


def gap_between_phases():
    """Town CSP lapses in phase 1; its successor only starts in phase 2: a gap between phases."""
    s = mini()
    s = apply(s, [Dissolve(body="town-csp", lapse=True, reason="stood down")], P1).structure
    new = Body(id="town-together", name="Town Together", kind="safeguarding_partnership",
               strategies=({"title": "Town strategy"},))
    s = apply(s, [CreateBody(body=new, covers=("U1",), discharges=("U1",))], P2).structure
    s.add(Relation(kind="seat", source="town-together", target="board", area="U1", start=P2))
    return s


def test_evaluation_dates_add_the_day_before():
    assert evaluation_dates([P2, P1, P2]) == [dt.date(2027, 5, 5), P1, dt.date(2028, 3, 31), P2]


def test_end_state_is_clean_but_the_gap_between_phases_shows():
    s = gap_between_phases()
    assert [f for f in run_state(s, P2) if f.severity is Severity.error] == []
    report = check_timeline(s, [P1, P2])
    assert report.dates == (dt.date(2027, 5, 5), P1, dt.date(2028, 3, 31), P2)
    errors = [(f.date, f.code, f.until) for f in report.errors]
    assert (P1, "SVD001", P2) in errors  # from phase 1 until phase 2
    assert (P1, "CSP001", P2) in errors
    assert (P1, "REP001", P2) in errors
    assert (P1, "TRN001", None) in errors  # a transition happens on a date
    assert (P1, "TRN003", None) in errors
    assert not report.ok


def test_findings_are_reported_once_and_sorted():
    report = check_timeline(gap_between_phases(), [P1, P2])
    keys = [f.sort_key() for f in report.findings]
    assert keys == sorted(keys)
    identities = [(f.identity, f.date) for f in report.findings]
    assert len(identities) == len(set(identities))
    svd = [f for f in report.findings if f.code == "SVD001"]
    assert len(svd) == 1  # found on 2027-05-06 and 2028-03-31: one finding


def test_counts_errors_and_to_dict():
    report = check_timeline(gap_between_phases(), [P1, P2])
    counts = report.counts
    assert set(counts) == {"error", "warning", "info"}
    assert counts["error"] == len(report.errors) > 0
    data = report.to_dict()
    assert data["ok"] is False and data["counts"] == counts
    assert data["dates"][0] == "2027-05-05"
    assert data["findings"][0] == report.findings[0].to_dict()


def test_clean_timeline():
    report = check_timeline(mini(), [P1, P2])
    assert report.findings == () and report.ok
    assert report.subject == "mini force"


def test_config_applies_over_the_timeline():
    config = Config().with_overrides(["SVD001", "CSP001", "REP001", "TRN001", "TRN002", "TRN003", "STR001"])
    report = check_timeline(gap_between_phases(), [P1, P2], config)
    assert report.ok


def test_base_is_compared_on_the_first_date():
    base = mini()
    proposal = mini()
    (rel,) = list(proposal.relations("discharges", source="town-csp"))
    proposal.remove(rel)
    report = check_timeline(proposal, [P1], base=base, day_before=False)
    assert [f.code for f in report.errors] == ["SVD001", "TRN001"]
    assert check_timeline(proposal, [P1], day_before=False).errors[0].code == "SVD001"


def _report():
    f1 = Finding("SVD001", Severity.error, "Town (U1) has no partnership", P1, ("x",), ("U1",), P2)
    f2 = Finding("ALN002", Severity.warning, "X straddles | two", P2)
    f3 = Finding("SVD002", Severity.error, "Other", P2)
    return Report("Demo", (P1, P2), (f1, f2, f3))


def test_render_text_grouped_by_severity_then_date():
    assert render_text(_report()) == (
        "Demo: 2 errors, 1 warning, 0 info on 2 dates (2027-05-06 to 2028-04-01)\n"
        "\n"
        "Errors\n"
        "  2027-05-06\n"
        "    SVD001  Town (U1) has no partnership (until 2028-04-01)\n"
        "  2028-04-01\n"
        "    SVD002  Other\n"
        "\n"
        "Warnings\n"
        "  2028-04-01\n"
        "    ALN002  X straddles | two\n"
    )


def test_render_text_empty_says_so_and_style_is_applied():
    assert render_text(Report("Demo", (P1,), ())) == "Demo: 0 errors, 0 warnings, 0 info on 2027-05-06\nNo findings.\n"
    styled = render_text(_report(), lambda text, sev: f"<{sev.value}>{text}</>")
    assert "<error>Errors</>" in styled and "<error>SVD001</>" in styled and "<warning>ALN002</>" in styled


def test_render_markdown_and_json():
    md = render_markdown(_report())
    assert md.splitlines()[0] == "**Demo: 2 errors, 1 warning, 0 info on 2 dates (2027-05-06 to 2028-04-01)**"
    assert "| 2028-04-01 | warning | ALN002 | X straddles \\| two |  |" in md
    assert "| 2027-05-06 | error | SVD001 | Town (U1) has no partnership | 2028-04-01 |" in md
    assert render_markdown(Report("Demo", (P1,), ())).endswith("No findings.\n")
    data = json.loads(render_json(_report()))
    assert data["counts"] == {"error": 2, "warning": 1, "info": 0}
    assert [f["code"] for f in data["findings"]] == ["SVD001", "ALN002", "SVD002"]
