"""The command group: version, help, error edge, --traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from restructure import __version__
from restructure.cli import COMMANDS, cli


def test_version():
    r = CliRunner().invoke(cli, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"restructure, version {__version__}"


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_heavy_library(args):
    # lazy loading keeps these instant: no networkx, pydantic, SQLAlchemy or graphviz
    code = (
        "import sys; from restructure.cli import cli\n"
        f"try:\n    cli({args!r})\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('networkx', 'pydantic', 'sqlalchemy', 'graphviz') if m in sys.modules]\n"
        "print('heavy=' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "heavy="


def test_every_registered_command_exists_and_has_help():
    r = CliRunner().invoke(cli, ["--help"])
    assert r.exit_code == 0
    for name in COMMANDS:
        cmd = cli.get_command(None, name)
        assert cmd is not None, f"command {name} is registered but not built"
        assert (cmd.help or "").strip(), f"command {name} has no help"
        for param in cmd.params:
            if param.param_type_name == "option" and not param.hidden:
                assert param.help, f"{name} {param.opts[0]} has no help"


def test_our_errors_show_one_line_and_traceback_flag_reraises(tmp_path):
    r = CliRunner().invoke(cli, ["show", str(tmp_path / "none.yaml")])
    assert r.exit_code == 1 and r.output.count("\n") == 1 and r.output.startswith("Error: ")
    r = CliRunner().invoke(cli, ["--traceback", "show", str(tmp_path / "none.yaml")])
    assert r.exit_code == 1 and r.exception is not None and type(r.exception).__name__ == "ValidationFailed"


def test_every_command_is_documented_in_the_readme():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"restructure {name}" in readme, f"README has no example of `restructure {name}`"
