"""refs.kind_of and refs.load_structure: every form of name, through every command that reads one.

The matrix below is the contract of issue 18: a structure file, a scenario whose base is a file, a
scenario whose base is a stored ref, and a stored ref, each given to show, diff, check, render, report
and export, with the store named by ``--db`` only (no ``restructure.db`` in the working directory, no
``$RESTRUCTURE_DATABASE_URL``). Each command's output must be what the library makes of the same name.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import BASELINE
from restructure.checks import Config, check_path, render_json
from restructure.cli import cli
from restructure.diff import compare_refs
from restructure.errors import ValidationFailed
from restructure.refs import kind_of, load_structure
from restructure.render import to_dot
from restructure.store import open_store

SCENARIO = """\
name: Oxford CSP renamed
base: {base}
phases:
  - name: rename
    date: 2027-04-01
    operations:
      - op: rename
        id: oxford-csp
        name: Oxford City Community Safety Partnership
"""

NO_BASE = SCENARIO.replace("base: {base}\n", "").replace("name: Oxford CSP renamed", "name: Oxford CSP renamed (no base)")

FORMS = ("structure file", "scenario with file base", "scenario with stored base", "stored ref")
COMMANDS = ("show", "diff", "check", "render", "report", "export")


@pytest.fixture
def place(tmp_path, monkeypatch, baseline):
    """Scenario files beside a copy of the baseline, a store with a 'baseline' branch, and an empty cwd."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(BASELINE, folder / "thames-valley.yaml")
    (folder / "file-base.yaml").write_text(SCENARIO.format(base="thames-valley.yaml"), encoding="utf-8")
    (folder / "stored-base.yaml").write_text(SCENARIO.format(base="baseline"), encoding="utf-8")
    (folder / "no-base.yaml").write_text(NO_BASE, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.init(baseline)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("RESTRUCTURE_DATABASE_URL", raising=False)
    specs = {
        "structure file": "../scenarios/thames-valley.yaml",
        "scenario with file base": "../scenarios/file-base.yaml",
        "scenario with stored base": "../scenarios/stored-base.yaml",
        "stored ref": "baseline",
    }
    return specs, url, elsewhere


def test_kind_of_each_form(place):
    specs, _, _ = place
    assert [kind_of(specs[f]) for f in FORMS] == ["structure", "scenario", "scenario", "ref"]
    assert kind_of("missing.yaml") == "structure"  # named like a file: loading it says it is missing
    assert kind_of("thames-valley.yaml", relative_to="../scenarios") == "structure"
    assert kind_of("oxon~1") == "ref"


def test_relative_to_reads_from_that_folder(place):
    _, _, elsewhere = place
    s = load_structure("thames-valley.yaml", relative_to=elsewhere.parent / "scenarios")
    assert s.name == "Thames Valley baseline"
    with pytest.raises(ValidationFailed, match=r"thames-valley\.yaml: no such file"):
        load_structure("thames-valley.yaml")


def test_a_scenario_with_a_stored_base_uses_the_db_given(place):
    specs, url, elsewhere = place
    s = load_structure(specs["scenario with stored base"], db=url)
    assert s.body("oxford-csp").name == "Oxford City Community Safety Partnership"
    assert not (elsewhere / "restructure.db").exists()


def _run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    assert "Error:" not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("form", FORMS)
def test_every_command_reads_every_form(place, form, command):
    specs, url, elsewhere = place
    spec = specs[form]
    expected = load_structure(spec, db=url)
    if command == "show":
        out = json.loads(_run("show", spec, "--all-dates", "--format", "json", "--db", url).stdout)
        if form.startswith("scenario"):  # a scenario's result is titled with the scenario's name
            assert out["name"].endswith(f" (applied to {expected.name})") and out["name"] != expected.name
        else:
            assert out["name"] == expected.name
        assert out["counts"]["bodies"] == sum(1 for _ in expected.bodies())
    elif command == "diff":
        out = _run("diff", str(BASELINE), spec, "--format", "json", "--db", url).stdout
        assert out == compare_refs(str(BASELINE), spec, (), db=url).to_json()
        renamed = "scenario" in form
        assert ("Oxford City Community Safety Partnership" in out) is renamed
    elif command == "check":
        out = _run("check", spec, "--format", "json", "--db", url).stdout
        assert out == render_json(check_path(spec, config=Config.load(), db=url))
    elif command == "render":
        _run("render", spec, "-o", "out.dot", "--db", url)
        assert (elsewhere / "out.dot").read_text(encoding="utf-8") == to_dot(expected)
    elif command == "report":
        if form.startswith("scenario"):
            _run("report", spec, "-o", "pack.html", "--db", url)
        else:  # a structure to apply a scenario to
            _run("report", "../scenarios/no-base.yaml", "--base", spec, "-o", "pack.html", "--db", url)
        html = (elsewhere / "pack.html").read_text(encoding="utf-8")
        assert "Oxford City Community Safety Partnership" in html
    else:
        _run("export", spec, "-o", "out.yaml", "--db", url)
        assert (elsewhere / "out.yaml").read_text(encoding="utf-8") == expected.to_yaml()
    assert not (elsewhere / "restructure.db").exists()


# -- a structure file is parsed once, whatever reads it --------------------------------------------


@pytest.mark.parametrize("command", ["show", "validate"])
def test_show_and_validate_parse_a_structure_file_once(tmp_path, counted_reads, command):
    path = tmp_path / "s.yaml"
    shutil.copy(BASELINE, path)
    result = CliRunner().invoke(cli, [command, str(path)])
    assert result.exit_code == 0, result.output
    assert counted_reads == [str(path)]


def test_an_option_given_as_a_structure_file_is_parsed_once(tmp_path, counted_reads):
    from restructure.appraisal import compare_options

    path = tmp_path / "after.yaml"
    shutil.copy(BASELINE, path)
    base = load_structure(BASELINE)
    counted_reads.clear()
    compare_options([str(path)], base=base)
    assert counted_reads == [str(path)]


def test_is_file_ref_never_parses(tmp_path, counted_reads):
    from restructure.refs import is_file_ref

    path = tmp_path / "s.yaml"
    shutil.copy(BASELINE, path)
    assert [is_file_ref(str(path)), is_file_ref("missing.json"), is_file_ref("baseline~1")] == [True, True, False]
    assert [is_file_ref(path.name, relative_to=tmp_path), is_file_ref(path.name)] == [True, True]
    assert all(is_file_ref(x) == (kind_of(x) != "ref") for x in (str(path), "baseline", "x.yml", str(tmp_path)))
    assert counted_reads == [str(path)]  # only kind_of's own read of the file
