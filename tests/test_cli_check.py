"""`restructure check`: exit codes, formats, rule settings and --explain."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import BASELINE, SCENARIOS
from mini import MINI
from restructure.cli import cli

ONE_UNITARY = str(SCENARIOS / "oxfordshire" / "one-unitary.yaml")


def run(*args, **kwargs):
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False, **kwargs)


def test_help_describes_every_option():
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--base", "--as-of", "--format", "--disable", "--severity", "--explain", "--rules", "--db"):
        assert option in result.output
    assert "Exit status 1 when any error is found, else 0." in " ".join(result.output.split())


def test_clean_baseline_exits_0():
    result = run(str(BASELINE), "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert result.output == "Thames Valley baseline: 0 errors, 0 warnings, 0 info on 2026-11-25\nNo findings.\n"


def test_scenario_with_errors_exits_1_and_reports_by_date():
    result = run(ONE_UNITARY)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Oxfordshire as one unitary: 1 error, 0 warnings, 0 info on 6 dates (2027-05-05 to 2028-10-01)"
    assert lines[2:4] == ["Errors", "  2028-04-01"]
    assert lines[4].startswith("    CSP003  Oxfordshire (oxfordshire-ua) is covered only in parts, by Cherwell")
    assert lines[4].endswith("(until 2028-10-01)")
    assert "\x1b[" not in result.output  # plain when not a terminal


def test_severity_and_disable_change_the_outcome():
    result = run(ONE_UNITARY, "--severity", "CSP003=warning")
    assert result.exit_code == 0
    assert "0 errors, 1 warning" in result.output
    result = run(ONE_UNITARY, "--disable", "csp003")
    assert result.exit_code == 0
    assert "No findings." in result.output


def test_json_and_markdown():
    result = run(ONE_UNITARY, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["subject"] == "Oxfordshire as one unitary" and data["ok"] is False
    assert [(f["code"], f["date"], f["until"]) for f in data["findings"]] == [("CSP003", "2028-04-01", "2028-10-01")]
    result = run(ONE_UNITARY, "--format", "markdown")
    assert result.output.splitlines()[2] == "| date | severity | code | finding | until |"


def test_explain_prints_rationale_and_exits_0():
    result = run("--explain", "svd001")
    assert result.exit_code == 0
    assert result.output.startswith(
        "SVD001 (error, state rule): no partnership discharges the Serious Violence Duty for an area\n\n"
    )
    assert "Schedule 1" in result.output


def test_explain_unknown_code_is_one_line():
    result = run("--explain", "NOPE1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown rule code 'NOPE1' (codes: ALN001, ALN002,")
    assert result.output.count("\n") == 1


def test_rules_lists_codes():
    result = run("--rules")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "ALN001  warning  state       a Prevention Partnership is not aligned to exactly one upper-tier area"
    )
    assert len(result.output.splitlines()) == 31


def test_bad_options_exit_2():
    result = run(ONE_UNITARY, "--disable", "XYZ123")
    assert result.exit_code == 2
    assert "Invalid value for '--disable': unknown rule code 'XYZ123' (codes: ALN001" in result.output
    result = run(ONE_UNITARY, "--severity", "SVD001")
    assert result.exit_code == 2
    assert "'SVD001' is not CODE=LEVEL (e.g. SVD003=warning)" in result.output
    result = run(ONE_UNITARY, "--severity", "SVD001=fatal")
    assert result.exit_code == 2
    assert "level 'fatal' is not one of error, warning, info" in result.output
    result = run(ONE_UNITARY, "--as-of", "April 2028")
    assert result.exit_code == 2
    result = run()
    assert result.exit_code == 2
    assert "name a scenario or structure to check, or use --explain CODE or --rules" in result.output


def test_missing_file_and_bad_pyproject_are_one_line_errors(tmp_path, monkeypatch):
    result = run(str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nothing.yaml'}: no such file. Check the path.\n"
    (tmp_path / "pyproject.toml").write_text('[tool.restructure]\ndisable = ["SVD999"]\n', encoding="utf-8")
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("mini.yaml")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'pyproject.toml'}: unknown rule code 'SVD999' (codes:")


def test_pyproject_settings_apply(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.restructure]\nseverity = { CSP003 = "info" }\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(ONE_UNITARY)
    assert result.exit_code == 0
    assert "0 errors, 0 warnings, 1 info" in result.output


def test_structure_with_base(tmp_path):
    (tmp_path / "base.yaml").write_text(MINI, encoding="utf-8")
    (tmp_path / "proposed.yaml").write_text(MINI.replace("  - {kind: covers, source: north-csp, target: D1}\n", ""), encoding="utf-8")
    result = run(str(tmp_path / "proposed.yaml"), "--base", str(tmp_path / "base.yaml"), "--as-of", "2026-11-25")
    assert result.exit_code == 1
    assert "    TRN002  North (D1) lost its Community Safety Partnership on 2026-11-25 (was North CSP)" in result.output.splitlines()


def test_colour_on_a_terminal(monkeypatch):
    from restructure.cli import check_cmds

    monkeypatch.setattr(check_cmds, "_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["check", ONE_UNITARY], color=True)
    assert result.exit_code == 1
    assert "\x1b[31m\x1b[1mErrors\x1b[0m" in result.output
    assert "\x1b[31m\x1b[1mCSP003\x1b[0m" in result.output


def test_the_check_runs_without_the_cycle_collector_and_restores_it(monkeypatch):
    import gc

    from restructure.checks import files
    from restructure.cli import options

    seen = []
    real = files.check_path
    monkeypatch.setattr("restructure.checks.check_path", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    frozen = gc.get_freeze_count()
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert run(str(BASELINE), "--as-of", "2026-11-25").exit_code == 0
            assert gc.isenabled() is enabled  # as it was, whatever it was
        finally:
            gc.enable()
    assert seen == [False, False]
    assert gc.get_freeze_count() == frozen  # inside a caller's process nothing is kept from collection
    with options.no_cycle_collection():
        with options.no_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_as_the_whole_process_the_check_freezes_what_it_allocated(monkeypatch):
    import gc

    from restructure.cli import options

    monkeypatch.setattr(options, "STANDALONE", True)
    try:
        with options.no_cycle_collection():
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= len(kept) and gc.isenabled()
    finally:
        gc.unfreeze()


def test_the_process_prints_what_the_command_does(tmp_path):
    import subprocess
    import sys

    inline = run(str(BASELINE), "--as-of", "2026-11-25", "--format", "json").output
    proc = subprocess.run([sys.executable, "-m", "restructure", "check", str(BASELINE), "--as-of", "2026-11-25",
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout == inline
