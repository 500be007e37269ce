"""An empty store URL is a mistake, not the default store (restructure.store.resolve_url)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from restructure.cli import cli
from restructure.errors import StoreError
from restructure.store import ENV_VAR, resolve_url


def test_empty_option_names_the_option_and_the_variable(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    for empty in ("", "  "):
        with pytest.raises(StoreError, match=rf"^--db is empty\. .*\${ENV_VAR}"):
            resolve_url(empty)


def test_empty_variable_names_it(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "")
    with pytest.raises(StoreError, match=rf"^{ENV_VAR} is set but empty\. Set it to a store URL, or unset it"):
        resolve_url(None)
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"  # an explicit --db still wins


@pytest.mark.parametrize(
    "args",
    [["log", "--db", ""], ["init", "--db", ""], ["export", "baseline", "-o", "x.yaml", "--db", ""],
     ["show", "baseline", "--db", ""], ["diff", "baseline", "other", "--db", ""]],
)
def test_every_command_refuses_an_empty_db_and_writes_nothing(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: --db is empty.") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no ./restructure.db made


def test_an_empty_variable_is_refused_by_the_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, "")
    result = CliRunner().invoke(cli, ["log"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {ENV_VAR} is set but empty.")
    assert list(tmp_path.iterdir()) == []
