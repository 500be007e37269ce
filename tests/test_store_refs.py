"""refs.load_structure: a file or a stored version, one way in for every command."""

from __future__ import annotations

import datetime as dt

import pytest

from restructure.baseline import BASELINE
from restructure.errors import StoreError, ValidationFailed
from restructure.refs import is_file_ref, load_structure
from restructure.store import open_store


def test_a_file_is_loaded(baseline):
    assert load_structure(str(BASELINE)).to_yaml() == baseline.to_yaml()
    on = dt.date(2026, 11, 25)
    assert load_structure(str(BASELINE), as_of=on).to_yaml() == baseline.as_of(on).to_yaml()


def test_a_missing_yaml_file_is_a_file_error(tmp_path):
    with pytest.raises(ValidationFailed, match=r"no such file"):
        load_structure(str(tmp_path / "nope.yaml"))
    assert is_file_ref("x.YML") and not is_file_ref("baseline")


def test_a_stored_ref_is_checked_out(sqlite_url, baseline):
    with open_store(sqlite_url) as s:
        s.init(baseline)
        s.create_branch("oxon", "baseline")
    assert load_structure("oxon", db=sqlite_url).to_yaml() == baseline.to_yaml()
    on = dt.date(2026, 11, 25)
    assert load_structure("baseline", db=sqlite_url, as_of=on).to_yaml() == baseline.as_of(on).to_yaml()


def test_db_from_environment(sqlite_url, baseline, monkeypatch):
    with open_store(sqlite_url) as s:
        s.init(baseline)
    monkeypatch.setenv("RESTRUCTURE_DATABASE_URL", sqlite_url)
    assert load_structure("baseline").name == baseline.name


def test_no_store_to_look_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESTRUCTURE_DATABASE_URL", raising=False)
    with pytest.raises(StoreError) as err:
        load_structure("thames-valley")
    assert str(err.value) == (
        "'thames-valley' is not a file, and there is no version store to look it up in "
        "(no store at restructure.db). Check the path, or run `restructure init` to start a store."
    )
    assert not (tmp_path / "restructure.db").exists()


def test_unknown_ref_in_a_store(sqlite_url, baseline):
    with open_store(sqlite_url) as s:
        s.init(baseline)
    with pytest.raises(StoreError, match=r"^no branch, tag or version 'oxon' in .*store\.db\. Run `restructure branch`"):
        load_structure("oxon", db=sqlite_url)
