"""``restructure diff``: files, scenarios, two dates; text, --stat, JSON, Markdown, --patch; errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import BASELINE
from restructure.cli import cli
from restructure.structure import Structure

SCENARIO = f"""
name: Reading and Wokingham CSPs merge
base: {BASELINE}
phases:
  - name: merger
    date: 2027-04-01
    operations:
      - op: merge
        bodies: [reading-csp, wokingham-csp]
        into: reading-wokingham-csp
        new: {{id: reading-wokingham-csp, name: Reading and Wokingham CSP,
               kind: community_safety_partnership, tier: local}}
      - op: rename
        id: tv-vpp-board
        name: Thames Valley VPP Strategy Board
"""

STAT = (
    "1 body created, 2 dissolved, 1 merged, 1 renamed, 2 areas change CSP, 2 areas change Duty partnership, "
    "3 partnerships change members, 2 seats moved, 5 bodies change footprint or reporting line; 44 edits"
)


def run(*args, **kw):
    return CliRunner().invoke(cli, ["diff", *[str(a) for a in args]], **kw)


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture
def result_file(scenario, tmp_path):
    out = tmp_path / "result.yaml"
    done = CliRunner().invoke(cli, ["apply", str(scenario), "-o", str(out)])
    assert done.exit_code == 0, done.output
    return out


def test_scenario_text(scenario):
    result = run(scenario)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{scenario} (base) on 2027-03-31 -> {scenario} (result) on 2027-04-01"
    assert lines[1] == STAT
    assert "\x1b[" not in result.stdout  # not a terminal: plain
    assert "  + Reading and Wokingham CSP (reading-wokingham-csp) created (community safety partnership)" in lines
    assert (
        "  ~ reading-csp, wokingham-csp merged into Reading and Wokingham CSP (reading-wokingham-csp)" in lines
    )
    assert "  ~ tv-vpp-board renamed: 'VPP Strategy Board' -> 'Thames Valley VPP Strategy Board'" in lines
    assert (
        "  ~ Reading (E06000038): CSP reading-csp -> reading-wokingham-csp; "
        "Duty reading-csp -> reading-wokingham-csp" in lines
    )
    assert (
        "  ~ seat for Reading (E06000038) on tv-vpp-board moves reading-csp -> reading-wokingham-csp" in lines
    )
    assert lines[-1] == "Findings of the checks: none introduced, none resolved (2027-03-31 -> 2027-04-01)."
    assert result.stderr == ""


def test_colour_on_a_terminal(scenario):
    result = run(scenario, color=True)
    assert result.exit_code == 0
    assert "\x1b[1m" in result.stdout and "\x1b[32m" in result.stdout


def test_stat(scenario):
    result = run(scenario, "--stat")
    assert result.exit_code == 0
    assert result.stdout == STAT + "\n"


def test_json(scenario):
    result = run(scenario, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "restructure-diff/1"
    assert data["stat"] == STAT
    assert data["before"]["on"] == "2027-03-31" and data["after"]["on"] == "2027-04-01"
    assert data["changes"]["bodies"]["merged"] == [{
        "into": "reading-wokingham-csp", "name": "Reading and Wokingham CSP",
        "bodies": ["reading-csp", "wokingham-csp"],
    }]
    assert len(data["edits"]) == data["counts"]["edits"] == 44
    again = run(scenario, "--format", "json")
    assert again.stdout == result.stdout  # deterministic


def test_markdown(scenario):
    result = run(scenario, "--format", "markdown")
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith(f"## Changes: {scenario} (base) on 2027-03-31 → {scenario} (result) on 2027-04-01\n")
    assert f"**{STAT}**" in md
    assert (
        "| Reading (E06000038) | Reading Community Safety Partnership | Reading and Wokingham CSP | "
        "Reading Community Safety Partnership | Reading and Wokingham CSP |" in md
    )


def test_two_files_and_an_empty_diff(result_file):
    same = run(BASELINE, BASELINE)
    assert same.exit_code == 0
    assert same.stdout.splitlines()[1] == "no differences"
    both = run(BASELINE, result_file, "--stat")
    assert both.exit_code == 0
    # without dates both are read on the latest date either mentions (the merger's)
    assert both.stdout == STAT + "\n"


def test_one_file_on_two_dates(result_file):
    result = run(result_file, "--as-of", "2027-03-31", "--as-of", "2027-04-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{result_file} on 2027-03-31 -> {result_file} on 2027-04-01"
    # names are not dated: the renamed board has its new name on both dates
    assert result.stdout.splitlines()[1] == (
        "1 body created, 2 dissolved, 1 merged, 2 areas change CSP, 2 areas change Duty partnership, "
        "3 partnerships change members, 2 seats moved, 5 bodies change footprint or reporting line; 41 edits"
    )
    before = run(result_file, "--as-of", "2027-01-01", "--as-of", "2027-03-31", "--stat")
    assert before.stdout == "no differences\n"


def test_patch_applies_with_restructure_apply(result_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(BASELINE, result_file, "--patch")
    assert result.exit_code == 0, result.output
    (tmp_path / "patch.yaml").write_text(result.stdout)
    assert result.stdout.startswith("name: 'patch: ")
    assert f"base: {BASELINE}\n" in result.stdout
    applied = CliRunner().invoke(cli, ["apply", "patch.yaml", "-o", "patched.yaml"])
    assert applied.exit_code == 0, applied.output
    assert run("patched.yaml", result_file).stdout.splitlines()[1] == "no differences"
    assert Structure.load("patched.yaml") == Structure.load(result_file)


def test_patch_written_with_output_applies_from_any_folder(result_file, tmp_path, monkeypatch):
    work = tmp_path / "work"
    (work / "inputs").mkdir(parents=True)
    (work / "inputs" / "before.yaml").write_bytes(BASELINE.read_bytes())
    monkeypatch.chdir(work)
    result = run("inputs/before.yaml", result_file, "--patch", "-o", "out/patch.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = (work / "out" / "patch.yaml").read_text()
    assert "\nbase: ../inputs/before.yaml\n" in text  # relative to the patch's own folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    applied = CliRunner().invoke(cli, ["apply", str(work / "out" / "patch.yaml"), "-o", "patched.yaml"])
    assert applied.exit_code == 0, applied.output
    assert Structure.load("patched.yaml") == Structure.load(result_file)


def test_patch_on_stdout_records_an_absolute_base_and_a_ref_as_given(result_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "before.yaml").write_bytes(BASELINE.read_bytes())
    result = run("before.yaml", result_file, "--patch")
    assert f"\nbase: {tmp_path / 'before.yaml'}\n" in result.stdout
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert CliRunner().invoke(cli, ["init", "--db", url]).exit_code == 0
    result = run("baseline", result_file, "--patch", "--db", url, "-o", "sub/patch.yaml")
    assert result.exit_code == 0, result.output
    assert "\nbase: baseline\n" in (tmp_path / "sub" / "patch.yaml").read_text()


def test_output_file_is_plain_text(scenario, tmp_path):
    out = tmp_path / "changes.txt"
    result = run(scenario, "-o", out, color=True)
    assert result.exit_code == 0 and result.stdout == ""
    text = out.read_text()
    assert "\x1b[" not in text and "Reading and Wokingham CSP" in text


def test_exit_code(scenario):
    assert run(scenario, "--stat", "--exit-code").exit_code == 1
    assert run(BASELINE, BASELINE, "--stat", "--exit-code").exit_code == 0


def test_unknown_file():
    result = run("nosuch.yaml", BASELINE)
    assert result.exit_code == 1
    assert result.stderr == "Error: nosuch.yaml: no such file. Check the path.\n"
    assert result.stdout == ""


def test_unknown_ref_without_a_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESTRUCTURE_DATABASE_URL", raising=False)
    result = run("nosuch", BASELINE)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 'nosuch' is not a file, and there is no version store to look it up in")


def test_one_structure_needs_a_second_or_two_dates():
    result = run(BASELINE)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: nothing to compare {BASELINE} with: give B, a scenario file, or --as-of twice "
        "to compare one structure on two dates\n"
    )


def test_bad_options(scenario):
    stat_json = run(scenario, "--stat", "--format", "json")
    assert stat_json.exit_code == 2
    assert "Invalid value for --stat: --stat is a one-line text summary; leave out --format" in stat_json.stderr
    three = run(scenario, "--as-of", "2027-01-01", "--as-of", "2027-02-01", "--as-of", "2027-03-01")
    assert three.exit_code == 2 and "Invalid value for --as-of: give it at most twice" in three.stderr
    bad_date = run(scenario, "--as-of", "April")
    assert bad_date.exit_code == 2 and "'April' is not a date: write it as YYYY-MM-DD" in bad_date.stderr


def test_help():
    result = CliRunner().invoke(cli, ["diff", "--help"])
    assert result.exit_code == 0
    assert "Show what changes from A to B, in planners' terms." in result.stdout
    for option in ("--as-of", "--stat", "--format", "--edits", "--patch", "--exit-code", "--db"):
        assert option in result.stdout


def test_two_refs_in_a_real_sqlite_store(scenario, sqlite_url):
    def ok(*args):
        done = CliRunner().invoke(cli, [str(a) for a in args])
        assert done.exit_code == 0, done.output
        return done

    ok("init", "--db", sqlite_url)
    ok("branch", "merge", "--from", "baseline", "--db", sqlite_url)
    ok("apply", scenario, "--branch", "merge", "--db", sqlite_url)
    result = run("baseline", "merge", "--db", sqlite_url, "--stat")
    assert result.exit_code == 0, result.output
    assert result.stdout == STAT + "\n"
    assert run("merge", "merge", "--db", sqlite_url, "--stat").stdout == "no differences\n"
    data = json.loads(run("baseline", "merge", "--db", sqlite_url, "--format", "json").stdout)
    assert (data["before"]["label"], data["after"]["label"]) == ("baseline", "merge")


def test_scenario_on_another_base(tmp_path):
    from click.testing import CliRunner

    from conftest import BASELINE, SCENARIOS
    from restructure.apply import apply
    from restructure.cli import cli
    from restructure.operations import Rename
    from restructure.structure import Structure

    # the same baseline with Cherwell's CSP renamed: the diff must read the renamed body
    renamed = apply(Structure.load(BASELINE), [Rename(id="cherwell-csp", name="Cherwell CSP (renamed)")],
                    __import__("datetime").date(2026, 1, 1)).structure
    base = tmp_path / "other.yaml"
    renamed.save(base)
    scenario = str(SCENARIOS / "oxfordshire" / "csp-merge.yaml")
    r = CliRunner().invoke(cli, ["diff", scenario, "--base", str(base), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "Cherwell CSP (renamed)" in r.output
    r = CliRunner().invoke(cli, ["diff", str(BASELINE), str(base), "--base", str(base)])
    assert r.exit_code == 2 and "--base goes with a scenario file A and no B" in r.output


def test_scope_councils_compares_only_units_and_counties(scenario, result_file):
    # a CSP merger changes no council: nothing to report, exit 0
    r = run(scenario, "--scope", "councils", "--exit-code")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1] == "no differences"
    r = run(BASELINE, result_file, "--scope", "councils", "--as-of", "2027-04-01", "--format", "json")
    assert json.loads(r.output)["empty"] is True


def test_scope_councils_on_a_reorganisation(tmp_path):
    from conftest import SCENARIOS

    r = run(SCENARIOS / "oxfordshire" / "one-unitary.yaml", "--scope", "councils", "--exit-code")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[1] == "1 area added, 6 removed (councils only)"  # the county and its five districts
    assert any(line.startswith("  - Cherwell (E07000177): district, Cherwell District Council") for line in lines)
    assert run(SCENARIOS / "oxfordshire" / "one-unitary.yaml", "--scope", "councils", "--stat").output == (
        "1 area added, 6 removed (councils only)\n"
    )
    md = run(SCENARIOS / "oxfordshire" / "one-unitary.yaml", "--scope", "councils", "--format", "markdown").output
    assert "| + |" in md and "| - |" in md


def test_scope_councils_refuses_patch(scenario):
    r = run(scenario, "--scope", "councils", "--patch")
    assert r.exit_code == 2 and "--scope councils compares areas, not records" in r.output


# -- a structure file is parsed once -------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("{a}", "{b}", "--patch"),
    ("{a}", "{b}", "--patch", "-o", "{tmp}/patch.yaml"),
    ("{a}", "{b}"),
    ("{a}", "--as-of", "2027-03-31", "--as-of", "2027-04-01"),
    ("{a}", "--as-of", "2027-03-31", "--as-of", "2027-04-01", "--patch"),
    ("{a}", "--as-of", "2027-03-31", "--as-of", "2027-04-01", "--scope", "councils"),
    ("{a}", "{b}", "--scope", "councils"),
])
def test_a_structure_file_a_is_parsed_once(result_file, tmp_path, counted_reads, args):
    a = tmp_path / "a.yaml"
    a.write_text(result_file.read_text())
    result = run(*(x.format(a=a, b=result_file, tmp=tmp_path) for x in args))
    assert result.exit_code == 0, result.output
    assert counted_reads.count(str(a)) == 1


def test_patch_parses_a_once_and_says_the_same(result_file, tmp_path, counted_reads):
    # the same patch and the same base whether A is YAML (classified and parsed once) or a ref-like JSON
    # file (never classified by parsing): the output does not depend on how A was told apart
    a = tmp_path / "a.yaml"
    a.write_text(BASELINE.read_text())
    Structure.load(BASELINE).save(tmp_path / "a.json")
    counted_reads.clear()
    yaml_patch = run(a, result_file, "--patch")
    json_patch = run(tmp_path / "a.json", result_file, "--patch")
    assert yaml_patch.exit_code == json_patch.exit_code == 0
    assert yaml_patch.stdout == json_patch.stdout.replace("a.json", "a.yaml")
    assert counted_reads.count(str(a)) == 1


@pytest.mark.parametrize("text, where", [
    ("name: x\nareas:\n  - {id: U1, name: Town, kind: nosuch}\n", ":3"),  # an invalid record
    ("name: x\nareas: [\n", ":3"),  # not YAML
])
def test_a_bad_file_a_gives_the_same_error_with_or_without_patch(result_file, tmp_path, text, where):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    plain = run(bad, result_file)
    for args in (("--patch",), ("--patch", "-o", str(tmp_path / "p.yaml")), ("--stat",)):
        again = run(bad, result_file, *args)
        assert (again.exit_code, again.stderr, again.stdout) == (plain.exit_code, plain.stderr, "")
    assert plain.exit_code == 1 and f"{bad}{where}" in plain.stderr, plain.stderr
    validate = CliRunner().invoke(cli, ["validate", str(bad)])
    assert f"{bad}{where}" in validate.stderr
    assert not (tmp_path / "p.yaml").exists()
