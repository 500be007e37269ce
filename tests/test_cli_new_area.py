"""``restructure new-area``: a draft register for any police force area."""

from __future__ import annotations

from click.testing import CliRunner

from restructure.cli import cli
from restructure.structure import Structure


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_new_area_then_check(tmp_path):
    out = tmp_path / "s.yaml"
    result = run("new-area", "--pfa", "Surrey", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"Wrote {out}: Surrey draft register, 11 districts and unitaries, 1 local area, 11 draft CSPs; "
        f"16 draft records to confirm: run `restructure check {out}` to list them\n"
    )
    assert len(Structure.load(out).units()) == 11
    assert not list(tmp_path.glob(".*.tmp"))
    checked = run("check", out, "--format", "json")
    assert checked.exit_code == 0, checked.output
    import json

    report = json.loads(checked.stdout)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 16}
    assert {f["code"] for f in report["findings"]} == {"DRF001"}


def test_new_area_to_stdout_and_as_json(tmp_path):
    result = run("new-area", "--pfa", "e23000029")
    assert result.exit_code == 0
    assert result.stdout.startswith("name: Thames Valley draft register\n")
    out = tmp_path / "tv.json"
    assert run("new-area", "--pfa", "Thames Valley", "-o", out).exit_code == 0
    assert Structure.load(out) == Structure.from_yaml(result.stdout)


def test_unknown_force_names_the_nearest_and_writes_nothing(tmp_path):
    out = tmp_path / "s.yaml"
    result = run("new-area", "--pfa", "Yorkshire", "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no police force area 'Yorkshire' in England and Wales. "
        "Did you mean 'West Yorkshire', 'South Yorkshire' or 'North Yorkshire'?\n"
    )
    assert not out.exists() and not list(tmp_path.iterdir())


def test_list_and_a_missing_pfa():
    listed = run("new-area", "--list")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 43 and "E23000031  Surrey" in lines
    missing = run("new-area")
    assert missing.exit_code == 2
    assert "Give --pfa NAME|CODE" in missing.stderr


def test_help_has_examples():
    result = run("new-area", "--help")
    assert result.exit_code == 0
    assert "restructure new-area --pfa Surrey -o surrey.yaml" in result.stdout
