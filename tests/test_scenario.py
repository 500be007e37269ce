"""Scenario files: loading, line-located errors, extends, plans, schema."""

from __future__ import annotations

import json
import textwrap

import pytest

from restructure.apply import run_scenario
from restructure.errors import ScenarioError, ValidationFailed
from restructure.scenario import json_schema, load_scenario

BASE = "base: {base}\n"


@pytest.fixture
def write(tmp_path):
    from conftest import BASELINE

    def write(text: str, name: str = "s.yaml"):
        p = tmp_path / name
        p.write_text(textwrap.dedent(text).replace("{base}", str(BASELINE)), encoding="utf-8")
        return p

    return write


GOOD = """\
name: merge two CSPs
base: {base}
phases:
  - name: merge
    date: 2027-04-01
    operations:
      - op: merge
        bodies: [cherwell-csp, oxford-csp]
        into: oxford-csp
"""


def test_loads_and_applies(write):
    sc = load_scenario(write(GOOD))
    assert [p.name for p in sc.phases] == ["merge"]
    out = run_scenario(sc)
    assert out.structure.body("cherwell-csp").end.isoformat() == "2027-04-01"
    assert out.dates[0].isoformat() == "2027-04-01"


def test_plan_has_one_line_per_operation(write):
    assert load_scenario(write(GOOD)).plan() == [
        "2027-04-01  merge",
        "    1. merge cherwell-csp, oxford-csp into oxford-csp",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.replace("op: merge", "op: amalgamate"), r"s.yaml:7: phase merge, operation 1: unknown operation 'amalgamate'"),
        (GOOD.replace("into: oxford-csp", "into: oxford-csp\n        colour: red"), r"s.yaml:10: phase merge, operation 1: unknown field 'colour'"),
        (GOOD.replace("        into: oxford-csp\n", ""), r"s.yaml:7: phase merge, operation 1: missing field 'into'"),
        (GOOD.replace("bodies: [cherwell-csp, oxford-csp]", "bodies: [oxford-csp]"), r"s.yaml:7: .*at least two different bodies"),
        (GOOD.replace("date: 2027-04-01", "date: someday"), r"s.yaml:5: .*date"),
        (GOOD + "  - name: earlier\n    date: 2026-01-01\n", r"s.yaml:11: dates out of order: phase 'earlier' \(2026-01-01\) comes after phase 'merge'"),
        ("name: x\nphases: [\n", r"s.yaml:3: not valid YAML"),
        (GOOD.replace("date: 2027-04-01", "date: 2027-13-01"),
         r"s.yaml:5: '2027-13-01' is not a date \(month must be in 1\.\.12\)\. Write dates as YYYY-MM-DD\.$"),
        (GOOD.replace("op: merge\n        bodies: [cherwell-csp, oxford-csp]\n        into: oxford-csp",
                      "op: rename\n        body: oxford-csp\n        name: Oxford CSP"),
         r"s.yaml:8: phase merge, operation 1: unknown field 'body' \(and 1 more problem\)\. rename takes: basis, id, name, note\.$"),
        (GOOD.replace("        bodies: [cherwell-csp, oxford-csp]\n        into: oxford-csp\n", ""),
         r"s.yaml:7: phase merge, operation 1: missing fields 'bodies', 'into'\. Fix"),
    ],
)
def test_malformed_scenarios_say_file_and_line(write, text, message):
    with pytest.raises(ValidationFailed, match=message):
        load_scenario(write(text))


def test_an_operation_that_does_not_fit_names_file_line_phase_and_index(write):
    text = GOOD.replace("bodies: [cherwell-csp, oxford-csp]", "bodies: [cherwell-csp, oxfrd-csp]")
    with pytest.raises(ScenarioError) as err:
        run_scenario(write(text))
    assert str(err.value) == (
        f"{write(text)}:7: phase merge, operation 1: unknown body 'oxfrd-csp'. Did you mean 'oxford-csp'?"
    )


def test_structure_file_given_as_scenario(write):
    from conftest import BASELINE

    with pytest.raises(ValidationFailed, match="this is a structure file, not a scenario"):
        load_scenario(BASELINE)


def test_missing_base(write):
    with pytest.raises(ValidationFailed, match="base 'nowhere.yaml': no such file"):
        run_scenario(write(GOOD.replace("base: {base}", "base: nowhere.yaml")))


def test_a_childs_own_phases_must_be_in_date_order(write):
    write(GOOD, "parent.yaml")
    child = write(
        """\
        name: child
        extends: parent.yaml
        phases:
          - name: later
            date: 2027-06-01
          - name: first
            date: 2027-01-01
        """
    )
    with pytest.raises(ValidationFailed, match=r"s.yaml:7: dates out of order: phase 'first'"):
        load_scenario(child)


def test_extends_merges_by_date_and_inherits_base(write):
    write(GOOD, "parent.yaml")
    child = write(
        """\
        name: child
        extends: parent.yaml
        phases:
          - name: first
            date: 2027-01-01
          - name: same day, after the parent's
            date: 2027-04-01
            operations:
              - {op: rename, id: oxford-csp, name: Oxford and Cherwell CSP}
        """,
        "child.yaml",
    )
    sc = load_scenario(child)
    assert [p.name for p in sc.phases] == ["first", "merge", "same day, after the parent's"]
    out = run_scenario(sc)
    assert out.structure.body("oxford-csp").name == "Oxford and Cherwell CSP"


def test_extends_cycle_is_refused(write):
    write("name: a\nextends: b.yaml\nphases: []\n", "a.yaml")
    b = write("name: b\nextends: a.yaml\nphases: []\n", "b.yaml")
    with pytest.raises(ValidationFailed, match="'extends' goes round in a circle"):
        load_scenario(b)


def test_error_in_an_extended_file_points_at_that_file(write):
    write(GOOD.replace("oxford-csp]", "nobody-csp]"), "parent.yaml")
    child = write("name: c\nextends: parent.yaml\nphases: []\n", "child.yaml")
    with pytest.raises(ScenarioError, match=r"parent.yaml:7: phase merge, operation 1: unknown body 'nobody-csp'"):
        run_scenario(child)


def test_json_schema_describes_every_operation():
    schema = json.loads(json_schema())
    ops = {
        d["properties"]["op"]["const"]
        for d in schema["$defs"].values()
        if "op" in d.get("properties", {})
    }
    from restructure.operations import OPERATIONS

    assert ops == set(OPERATIONS)
    assert schema["$defs"]["Phase"]["properties"]["date"]["description"].startswith("The effective date")
