"""The command group: version, help, error edge, --traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import drain_pty
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


def test_python_dash_m_runs_the_command_line():
    out = subprocess.run([sys.executable, "-m", "restructure", "--version"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == f"restructure, version {__version__}"


def test_licence_file_matches_pyproject():
    import tomllib

    from conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def _coloured_diff(args, env=None):
    from conftest import SCENARIOS

    return CliRunner().invoke(cli, [*args, "diff", str(SCENARIOS / "oxfordshire" / "csp-merge.yaml")],
                              color=True, env=env)


def test_no_color_option_and_no_color_variable():
    assert "\x1b[" in _coloured_diff([]).stdout  # a terminal gets colour
    plain = _coloured_diff(["--no-color"])
    assert plain.exit_code == 0 and "\x1b[" not in plain.stdout and "Bodies" in plain.stdout
    assert "\x1b[" not in _coloured_diff([], env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" in _coloured_diff([], env={"NO_COLOR": ""}).stdout  # set but empty: no effect


def _on_a_terminal(args, env) -> bytes:
    """Run the real command with stdout on a pseudo-terminal; what it wrote there."""
    import os
    import pty
    from pathlib import Path

    master, slave = pty.openpty()
    exe = Path(sys.executable).parent / "restructure"
    proc = subprocess.Popen([str(exe), *args], stdout=slave, stderr=subprocess.DEVNULL, env={**os.environ, **env})
    os.close(slave)
    seen = drain_pty(master)
    proc.wait(timeout=120)
    return seen


def test_check_on_a_terminal_honours_no_color():
    from conftest import SCENARIOS

    args = ["check", str(SCENARIOS / "oxfordshire" / "one-unitary.yaml")]
    assert b"\x1b[" in _on_a_terminal(args, {"NO_COLOR": ""})
    assert b"\x1b[" not in _on_a_terminal(args, {"NO_COLOR": "1"})
    plain = _on_a_terminal(["--no-color", *args], {"NO_COLOR": ""})
    assert b"\x1b[" not in plain and b"Error" in plain


def test_every_db_option_names_the_environment_variable():
    for name in COMMANDS:
        cmd = cli.get_command(None, name)
        commands = cmd.commands.values() if hasattr(cmd, "commands") else [cmd]
        for c in commands:
            for param in c.params:
                if "--db" in getattr(param, "opts", ()):
                    assert "RESTRUCTURE_DATABASE_URL" in param.help, f"{name} --db help does not name it"


def test_shell_completion_script_and_completions():
    import os

    exe = str(__import__("pathlib").Path(sys.executable).parent / "restructure")
    env = {**os.environ, "_RESTRUCTURE_COMPLETE": "bash_source"}
    script = subprocess.run([exe], env=env, capture_output=True, text=True, check=False)
    assert script.returncode == 0 and "_restructure_completion()" in script.stdout
    env = {**os.environ, "_RESTRUCTURE_COMPLETE": "bash_complete", "COMP_WORDS": "restructure sh", "COMP_CWORD": "1"}
    words = subprocess.run([exe], env=env, capture_output=True, text=True, check=False)
    assert "plain,show" in words.stdout.splitlines()
