"""diff.compare: ``compare_refs`` on two dates makes one scan, and says what the two-scan way said."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from restructure.diff import changes, diff
from restructure.diff.compare import Comparison, Side, _compare_on_dates
from test_checks_properties import BASE_DAY
from test_diff_scan import _pairs

FAR = (dt.date(2027, 4, 1), dt.date(2028, 4, 1), BASE_DAY - dt.timedelta(days=1))


def two_scans(a, b, on_a, on_b, labels, findings) -> Comparison:
    """What ``compare_refs`` did with dates: ``diff`` of the dated structures, ``changes`` of the whole ones."""
    d = diff(a.as_of(on_a), b.as_of(on_b))
    return Comparison(
        Side(labels[0], a.name, on_a), Side(labels[1], b.name, on_b), d,
        changes(a, b, on_a, on_b, findings=findings, patch=d), structures=(a, b),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pairs(), st.data())
def test_one_scan_on_two_dates_equals_the_diff_and_the_summary_apart(pair, data):
    a, b = pair
    dates = sorted({*a.dates(), *b.dates(), *FAR})
    on_a, on_b = data.draw(st.sampled_from(dates)), data.draw(st.sampled_from(dates))
    findings = data.draw(st.booleans())
    note(f"{on_a} {on_b} findings={findings}\n{a.to_yaml()}\n---\n{b.to_yaml()}")
    labels = ("a.yaml", "b.yaml")
    got = _compare_on_dates(a, b, on_a, on_b, labels=labels, findings=findings)
    want = two_scans(a, b, on_a, on_b, labels, findings)
    assert got.diff == want.diff and got.changes == want.changes
    assert got.to_json() == want.to_json()
    assert got.render_text(color=False, edits=True) == want.render_text(color=False, edits=True)
    assert got.render_markdown(edits=True) == want.render_markdown(edits=True)
    assert got.stat() == want.stat()
    # one structure on two dates (`diff A --as-of X --as-of Y`)
    assert _compare_on_dates(a, a, on_a, on_b, labels=labels, findings=findings).to_json() == two_scans(
        a, a, on_a, on_b, labels, findings).to_json()


def test_a_parent_that_changes_only_by_date_is_found_by_the_one_scan():
    # the same records on both sides: only the dates make U1 leave C1 and the district end
    from restructure.structure import Structure

    s = Structure.from_yaml("""
areas:
  - {id: C1, name: County, kind: county}
  - {id: C2, name: Other county, kind: county}
  - {id: U1, name: Town, kind: unitary}
  - {id: D1, name: District, kind: district, parent: C1, end: 2028-04-01}
relations:
  - {kind: within, source: U1, target: C1, end: 2028-04-01}
  - {kind: within, source: U1, target: C2, start: 2028-04-01}
""")
    on_a, on_b = dt.date(2028, 3, 31), dt.date(2028, 4, 1)
    got = _compare_on_dates(s, s, on_a, on_b, labels=("s", "s"), findings=True)
    assert got.to_json() == two_scans(s, s, on_a, on_b, ("s", "s"), True).to_json()
    assert [(e.id, e.fields["within"].before, e.fields["within"].after) for e in got.changes.areas_changed] == [
        ("U1", ("C1",), ("C2",))]
    assert [e.id for e in got.changes.areas_ended] == ["D1"]
