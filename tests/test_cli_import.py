"""``restructure import ons`` and ``restructure import successions``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import drain_pty
from restructure.cli import cli
from restructure.scenario import load_scenario
from restructure.structure import Structure


@pytest.fixture(scope="module")
def data(data_dir):
    return data_dir


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_import_ons_thames_valley(data, tmp_path):
    out = tmp_path / "tv.yaml"
    result = run("import", "ons", data / "ons/LAD23_CSP23_PFA23_EW_LU.csv", "--pfa", "Thames Valley",
                 "--counties", data / "ons/LAD21_CTY21_EN_LU.csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out}: 13 districts and unitaries, 9 local areas, 1 police force area\n"
    assert result.stdout == ""
    s = Structure.load(out)
    assert len(s.units()) == 13
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_import_ons_to_stdout_as_yaml(data):
    result = run("import", "ons", data / "ons/LAD17_CSP17_PFA17_EW_LU.csv", "--pfa", "E23000029")
    assert result.exit_code == 0
    assert result.stdout.startswith("name: police force area E23000029 (Thames Valley) from ONS 2017\n")
    assert Structure.from_yaml(result.stdout).area("E07000004").name == "Aylesbury Vale"


def test_import_ons_json_and_small_areas(data, tmp_path):
    out = tmp_path / "tv.json"
    result = run("import", "ons", data / "ons/LAD23_CSP23_PFA23_EW_LU.csv", "--pfa", "Thames Valley",
                 "--small-areas", data / "mysociety/lookup_lsoa_to_registry.csv",
                 "--councils", data / "mysociety/uk_local_authorities_future.csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("{")
    n = sum(1 for a in Structure.load(out).areas(kind="small_area"))
    assert result.stderr.endswith(f", {n} small areas\n") and n > 1000


def test_councils_go_with_small_areas(data):
    result = run("import", "ons", data / "ons/LAD23_CSP23_PFA23_EW_LU.csv", "--councils", "x.csv")
    assert result.exit_code == 2
    assert "--councils goes with --small-areas" in result.stderr


def test_import_ons_bundled_edition_without_a_file(tmp_path, monkeypatch):
    from restructure import data as bundled

    monkeypatch.chdir(tmp_path)
    result = run("import", "ons", "--year", "2023", "--pfa", "Thames Valley", "-o", "tv.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Wrote tv.yaml: 13 districts and unitaries, 9 local areas, 1 police force area\n"
    s = Structure.load(tmp_path / "tv.yaml")
    # the bundled county lookup puts Oxfordshire's districts under their county
    assert s.area("E10000025").name == "Oxfordshire" and s.body("oxfordshire-county-council")
    assert s.sources == (
        "ONS LAD23 to CSP to PFA lookup: LAD23_CSP23_PFA23_EW_LU.csv",
        "District to county: LAD21_CTY21_EN_LU.csv",
        bundled.ONS,
    )


def test_import_ons_bundled_2017_counties_from_mysociety_cite_both_publishers(tmp_path):
    from restructure import data as bundled

    out = tmp_path / "tv-2017.yaml"
    result = run("import", "ons", "--year", "2017", "--pfa", "E23000029", "-o", out)
    assert result.exit_code == 0, result.output
    s = Structure.load(out)
    assert s.area("E07000004").name == "Aylesbury Vale"
    assert [x for x in s.sources if x.startswith("Source:")] == list(bundled.ATTRIBUTION)


def test_import_ons_default_year_is_the_latest(tmp_path):
    result = run("import", "ons", "--pfa", "Thames Valley")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("name: police force area E23000029 (Thames Valley) from ONS 2023\n")


def test_import_ons_bundled_small_areas(tmp_path):
    from restructure import data as bundled

    out = tmp_path / "tv.yaml"
    result = run("import", "ons", "--pfa", "Thames Valley", "--small-areas", "-o", out)
    assert result.exit_code == 0, result.output
    s = Structure.load(out)
    n = sum(1 for _ in s.areas(kind="small_area"))
    assert n > 1000 and result.stderr.endswith(f", {n} small areas\n")
    assert bundled.MYSOCIETY in s.sources and bundled.ONS in s.sources


def test_import_ons_file_and_year_is_a_usage_error(data):
    result = run("import", "ons", data / "ons/LAD17_CSP17_PFA17_EW_LU.csv", "--year", "2023")
    assert result.exit_code == 2
    assert "give a LOOKUP file or --year" in result.stderr


def test_import_ons_a_file_overrides_the_bundled_edition(data, tmp_path):
    from restructure import data as bundled

    own = tmp_path / "my-lookup.csv"
    own.write_bytes((data / "ons/LAD17_CSP17_PFA17_EW_LU.csv").read_bytes())
    result = run("import", "ons", own, "--pfa", "Thames Valley")
    assert result.exit_code == 0, result.output
    s = Structure.from_yaml(result.stdout)
    assert s.sources == ("ONS LAD17 to CSP to PFA lookup: my-lookup.csv", bundled.ONS)
    assert "E10000025" not in s  # no counties unless asked for, with a file of one's own


def test_import_successions_bundled_table(tmp_path):
    from restructure import data as bundled

    out = tmp_path / "bucks.yaml"
    result = run("import", "successions", "--from", "2020-01-01", "--to", "2020-12-31", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out}: 1 phase, 1 operation\n"
    sc = load_scenario(out)
    assert sc.sources[-1] == bundled.MYSOCIETY


def test_bad_file_one_line_nothing_written(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM\n"
        "E06000038,Reading,E22000309,Reading,E23000029,Thames Valley\n"
        "E06000038,Reading,E22000309,Reading,E23000030,Hampshire\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    result = run("import", "ons", bad, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {bad}:3: district E06000038 (Reading) lies in two police force areas: E23000029 (line 2) "
        "and E23000030. Check the file is an unchanged ONS or mySociety download; nothing was written.\n"
    )
    assert not out.exists()


def test_unknown_pfa(data):
    result = run("import", "ons", data / "ons/LAD23_CSP23_PFA23_EW_LU.csv", "--pfa", "Narnia")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no police force area 'Narnia' in ")


def test_import_successions_with_base(data, tmp_path):
    base = tmp_path / "ew-2017.yaml"
    assert run("import", "ons", data / "ons/LAD17_CSP17_PFA17_EW_LU.csv",
               "--counties", data / "mysociety/uk_local_authorities_future.csv", "-o", base).exit_code == 0
    out = tmp_path / "scenarios" / "history.yaml"
    result = run("import", "successions", data / "mysociety/uk_local_authorities_future.csv",
                 "--from", "2017-01-01", "--to", "2023-12-31", "--base", base, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {out}: 5 phases, 12 operations\n"
    text = out.read_text()
    assert text.startswith("# Generated by `restructure import successions`")
    sc = load_scenario(out)
    assert sc.base == "../ew-2017.yaml"
    assert [str(d) for d in sc.dates] == ["2019-04-01", "2020-04-01", "2021-04-01", "2023-04-01", "2023-12-31"]
    applied = run("apply", out, "-o", tmp_path / "after.yaml")
    assert applied.exit_code == 0, applied.output
    assert len(Structure.load(tmp_path / "after.yaml").units(on=sc.dates[-1])) == 318


def test_import_successions_dates(data):
    result = run("import", "successions", data / "mysociety/uk_local_authorities_future.csv",
                 "--from", "2023-01-01", "--to", "2020-01-01")
    assert result.exit_code == 2
    assert "Error: Invalid value for --to: 2020-01-01 is before --from 2023-01-01\n" in result.stderr
    result = run("import", "successions", data / "mysociety/uk_local_authorities_future.csv",
                 "--from", "1 April", "--to", "2020-01-01")
    assert result.exit_code == 2
    assert "'1 April' is not a date: write it as YYYY-MM-DD" in result.stderr


def test_import_successions_unknown_successor(tmp_path):
    table = tmp_path / "la.csv"
    table.write_text(
        "local-authority-code,official-name,nice-name,gss-code,start-date,end-date,replaced-by,local-authority-type,county-la\n"
        "AAA,Aaa District Council,Aaa,E07000901,,2020-03-31,ZZZ,NMD,\n",
        encoding="utf-8",
    )
    out = tmp_path / "sc.yaml"
    result = run("import", "successions", table, "--from", "2019-01-01", "--to", "2021-01-01", "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {table}:2: council AAA (Aaa) is replaced by unknown council 'ZZZ'. "
        "Every code in replaced-by must have its own row in la.csv.\n"
    )
    assert not out.exists()


@pytest.mark.parametrize("args", [["import"], ["import", "ons"], ["import", "successions"]])
def test_help(args):
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_progress_bar_only_on_a_terminal(data, tmp_path):
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "restructure"
    args = [str(exe), "import", "ons", str(data / "ons/LAD23_CSP23_PFA23_EW_LU.csv"), "-o", str(tmp_path / "ew.yaml")]
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stderr=slave, stdout=subprocess.DEVNULL)
    os.close(slave)
    seen = drain_pty(master)
    assert proc.wait(timeout=60) == 0
    assert b"Importing" in seen and b"100%" in seen
    piped = subprocess.run(args, capture_output=True, timeout=60, check=False)
    assert piped.stderr.decode() == f"Wrote {tmp_path / 'ew.yaml'}: 318 districts and unitaries, 154 local areas, 43 police force areas\n"
