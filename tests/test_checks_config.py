"""Per-project rule settings from pyproject.toml and the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from mini import mini
from restructure.checks import Config, UnknownRule, find_pyproject, run_state
from restructure.errors import RestructureError

ON = dt.date(2026, 11, 25)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_load_from_nearest_pyproject_upward(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.restructure]\ndisable = ["aln002"]\nseverity = { SVD003 = "warning" }\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    c = Config.load(deep)
    assert c.disabled == frozenset({"ALN002"})
    assert c.severity["SVD003"].value == "warning"
    assert c.source == str(tmp_path / "pyproject.toml")


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.restructure]\ndisable = ["REP002"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    write(inner / "pyproject.toml", '[project]\nname = "other"\n')
    assert Config.load(inner).disabled == frozenset({"REP002"})
    assert find_pyproject(inner)[0] == tmp_path / "pyproject.toml"


def test_no_pyproject_gives_defaults(tmp_path):
    # the temporary folder lies outside the project: no [tool.restructure] above it
    assert find_pyproject(tmp_path) is None
    assert Config.load(tmp_path) == Config()


def test_unknown_code_in_pyproject_names_the_file(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.restructure]\ndisable = ["SVD999"]\n')
    with pytest.raises(UnknownRule) as err:
        Config.load(tmp_path)
    assert str(err.value).startswith(f"{path}: unknown rule code 'SVD999' (codes: ALN001,")


def test_bad_severity_and_bad_toml_name_the_file(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.restructure]\nseverity = { SVD001 = "fatal" }\n')
    with pytest.raises(RestructureError, match=rf"^{path}: severity 'fatal' for SVD001 is not one of error, warning, info\."):
        Config.load(tmp_path)
    write(tmp_path / "pyproject.toml", "[tool.restructure\n")
    with pytest.raises(RestructureError, match=rf"^{path}: not valid TOML"):
        Config.load(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.restructure]\ndisable = "SVD001"\n')
    with pytest.raises(RestructureError, match="disable must be a list of rule codes"):
        Config.load(tmp_path)


def test_overrides_add_to_the_file():
    c = Config.from_table({"disable": ["ALN002"]}, "pyproject.toml").with_overrides(["rep002"], {"svd001": "info"})
    assert c.disabled == frozenset({"ALN002", "REP002"})
    assert c.severity["SVD001"].value == "info"
    with pytest.raises(UnknownRule, match="unknown rule code 'NOPE01'"):
        c.with_overrides(["NOPE01"])


def test_config_switches_rules_off_and_regrades():
    s = mini()
    (rel,) = list(s.relations("discharges", source="town-csp"))
    s.remove(rel)
    assert [f.code for f in run_state(s, ON)] == ["SVD001"]
    assert run_state(s, ON, Config().with_overrides(["SVD001"])) == []
    (f,) = run_state(s, ON, Config().with_overrides(severity={"SVD001": "warning"}))
    assert f.severity.value == "warning"
