"""`restructure apply` and `restructure schema`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import BASELINE, SCENARIOS
from restructure.cli import cli
from restructure.structure import Structure

TWO = SCENARIOS / "oxfordshire" / "two-unitaries.yaml"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    out = tmp_path / "out.yaml"
    r = run("apply", str(TWO), "--dry-run", "-o", str(out))
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == "Plan for Oxfordshire and West Berkshire as two unitaries (Oxford and Shires, Ridgeway) (3 phases):"
    assert lines[1] == "2027-05-06  shadow authorities"
    assert "reorganise councils: abolish oxfordshire-cc" in r.output
    assert not out.exists()


def test_apply_writes_a_dated_structure(tmp_path):
    out = tmp_path / "two.yaml"
    r = run("apply", str(TWO), "-o", str(out))
    assert r.exit_code == 0, r.output
    s = Structure.load(out)
    assert s.body("ridgeway-council").start.isoformat() == "2028-04-01"
    # the result keeps history: before vesting the county council is still there
    import datetime as dt

    assert "oxfordshire-cc" in {b.id for b in s.as_of(dt.date(2028, 3, 31)).bodies()}


def test_apply_as_of_stops_at_a_phase(tmp_path):
    out = tmp_path / "half.yaml"
    r = run("apply", str(TWO), "--as-of", "2028-06-01", "-o", str(out))
    assert r.exit_code == 0
    s = Structure.load(out)
    assert "ridgeway-council" in s and "ridgeway-csp" not in s


def test_apply_to_another_base(tmp_path):
    base = tmp_path / "base.yaml"
    Structure.load(BASELINE).save(base)
    out = tmp_path / "o.json"
    r = run("apply", str(SCENARIOS / "oxfordshire" / "csp-merge.yaml"), "--base", str(base), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["name"] == "Thames Valley baseline"


def test_failed_apply_writes_nothing(tmp_path):
    sc = tmp_path / "sc.yaml"
    sc.write_text(
        f"name: x\nbase: {BASELINE}\nphases:\n  - name: p\n    date: 2027-01-01\n    operations:\n"
        "      - {op: merge, bodies: [cherwell-csp, oxford-csp], into: oxford-csp}\n"
        "      - {op: add_member, body: thames-valley-police, partnership: cherwell-csp}\n"
    )
    out = tmp_path / "out.yaml"
    r = run("apply", str(sc), "-o", str(out))
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"Error: {sc}:8: phase p, operation 2: body 'cherwell-csp' was dissolved on 2027-01-01, before "
        "2027-01-01. Fix the scenario; nothing was written."
    )
    assert not out.exists()


def test_apply_needs_somewhere_to_write():
    r = run("apply", str(TWO))
    assert r.exit_code == 2
    assert "say where the result goes" in r.output


def test_schema_is_valid_json_schema(tmp_path):
    out = tmp_path / "scenario.schema.json"
    r = run("schema", "-o", str(out))
    assert r.exit_code == 0
    schema = json.loads(out.read_text())
    assert schema["title"] == "restructure scenario"
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema)
    # a shipped scenario validates against it
    import yaml

    data = yaml.safe_load(TWO.read_text())
    data = json.loads(json.dumps(data, default=str))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_dry_run_with_branch_plans_on_the_branch(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    one = str(SCENARIOS / "oxfordshire" / "one-unitary.yaml")
    assert run("init", "--baseline", str(BASELINE), "--db", db).exit_code == 0
    r = run("apply", one, "--branch", "oxon", "--dry-run", "--db", db)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[-1].startswith("Would commit 3 versions to branch 'oxon' as a new branch from ")
    assert run("apply", one, "--branch", "oxon", "--db", db).exit_code == 0
    # the branch already holds this scenario: the dry run fails exactly as the real run would
    r = run("apply", one, "--branch", "oxon", "--dry-run", "--db", db)
    assert r.exit_code == 1
    assert "id 'oxfordshire-shadow-authority' is already used" in r.output
    from restructure.store import open_store

    with open_store(db, create=False) as store:
        assert len(store.log("oxon")) == 4  # baseline + three phases: the dry runs wrote nothing
