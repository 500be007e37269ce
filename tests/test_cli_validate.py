"""`restructure validate`: one line per problem, file and line, exit code."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import BASELINE, SCENARIOS
from restructure.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_baseline_is_valid():
    r = run("validate", str(BASELINE))
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"{BASELINE}: ok (15 areas, 60 bodies")


def test_scenarios_are_applied_when_validated():
    r = run("validate", str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml"))
    assert r.exit_code == 0, r.output
    assert "ok (scenario, 3 phases, 19 operations)" in r.output


def test_every_problem_is_one_line_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\n"
        "areas:\n"
        "  - {id: A1, name: A, kind: district, parent: NOPE}\n"
        "  - {id: A1, name: A again, kind: district}\n"
        "bodies: []\n"
        "relations:\n"
        "  - {kind: covers, source: ghost, target: A1}\n"
    )
    r = run("validate", str(bad))
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert lines == [
        f"Error: {bad}:4: duplicate id 'A1'. Ids must be unique across areas and bodies.",
        f"Error: {bad}:3: unknown area 'NOPE'. Fix the file and run `restructure validate` again.",
        f"Error: {bad}:7: unknown body 'ghost' in covers relation. Fix the file and run `restructure validate` again.",
    ]
    assert "Traceback" not in r.output


def test_missing_file():
    r = run("validate", "nowhere.yaml")
    assert r.exit_code == 1
    assert r.output.strip() == "Error: nowhere.yaml: no such file. Check the path."


def test_bad_scenario_names_file_line_phase_and_operation(tmp_path):
    sc = tmp_path / "sc.yaml"
    sc.write_text(
        f"name: x\nbase: {BASELINE}\nphases:\n  - name: p\n    date: 2027-01-01\n    operations:\n"
        "      - {op: dissolve, body: cherwell-csp, successors: [nobody]}\n"
    )
    r = run("validate", str(sc))
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"Error: {sc}:7: phase p, operation 1: unknown body 'nobody'. Run `restructure show` to list body ids."
    )


def test_scenarios_without_a_base_validate_against_base(tmp_path):
    from restructure import data
    from restructure.io.ons import import_ons

    base = tmp_path / "ew-2017.yaml"
    import_ons(
        data.path("ons/LAD17_CSP17_PFA17_EW_LU.csv"), counties_path=data.path("mysociety/uk_local_authorities_future.csv")
    ).save(base)
    history = sorted((SCENARIOS / "history").glob("*.yaml"))
    r = run("validate", *map(str, history), "--base", str(base))
    assert r.exit_code == 0, r.output
    assert f"{SCENARIOS / 'history' / 'suffolk-2019.yaml'}: ok (scenario, 1 phase, 2 operations)" in r.output.splitlines()
    r = run("validate", str(SCENARIOS / "history" / "suffolk-2019.yaml"))
    assert r.exit_code == 1
    assert "the scenario names no base structure. Give --base FILE|REF" in r.output


def test_unknown_key_in_a_nested_record_names_that_records_fields(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"name: bad\nbase: {BASELINE}\nphases:\n  - name: p\n    date: 2027-01-01\n    operations:\n"
        "      - op: create_body\n        body: {id: x, name: X, kind: other, colour: red}\n"
    )
    r = run("validate", str(bad))
    assert r.exit_code == 1
    assert r.output == (
        f"Error: {bad}:8: phase p, operation 1: unknown field 'colour'. body (in create_body) takes: id, name, "
        "kind, tier, gss, duties, strategies, attributes, start, end, sources, note.\n"
    )
    bad.write_text(
        f"name: bad\nbase: {BASELINE}\nphases:\n  - name: p\n    date: 2027-01-01\n    operations:\n"
        "      - op: reorganise_councils\n        abolish: [cherwell-dc]\n        create:\n"
        "          - {id: a, name: A, area: {id: aa, name: AA, colour: blue}, areas: [E07000177]}\n"
    )
    r = run("validate", str(bad))
    assert "unknown field 'colour'. area (in reorganise_councils) takes: id, name, gss, kind, parent, sources, note." in r.output
