"""`restructure render` and `restructure report`: files written, exact messages, exit codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from click.testing import CliRunner

from conftest import BASELINE, SCENARIOS
from restructure.cli import cli
from restructure.render import to_dot
from test_render_fixtures import ON, SMALL, merged

TWO_UNITARIES = SCENARIOS / "oxfordshire" / "two-unitaries.yaml"


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_render_svg_from_a_file(tmp_path):
    out = tmp_path / "out" / "structure.svg"
    r = run("render", BASELINE, "-o", out, "--as-of", "2026-11-25")
    assert r.exit_code == 0, r.output
    assert r.output == f"Wrote {out}\n"
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_render_dot_is_the_library_dot(tmp_path, baseline):
    out = tmp_path / "structure.dot"
    r = run("render", BASELINE, "-o", out, "--as-of", "2026-11-25", "--view", "coverage")
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == to_dot(baseline, view="coverage", on=ON)


def test_render_focus(tmp_path):
    out = tmp_path / "reading.dot"
    r = run("render", BASELINE, "-o", out, "--as-of", "2026-11-25", "--focus", "E06000038")
    assert r.exit_code == 0, r.output
    dot = out.read_text(encoding="utf-8")
    assert "Reading Community" in dot and "Cherwell" not in dot


def test_render_unknown_focus_is_one_line(tmp_path):
    out = tmp_path / "x.svg"
    r = run("render", BASELINE, "-o", out, "--as-of", "2026-11-25", "--focus", "E06000099")
    assert r.exit_code == 1
    assert r.output.startswith("Error: --focus 'E06000099' is not an area or body in force on that date. ")
    assert r.output.count("\n") == 1
    assert not out.exists()


def test_render_bad_extension(tmp_path):
    r = run("render", BASELINE, "-o", tmp_path / "x.jpg")
    assert r.exit_code == 1
    assert r.output == (
        f"Error: cannot tell the format of '{tmp_path / 'x.jpg'}' from its extension. "
        "End the file name in one of: .svg, .png, .pdf, .dot.\n"
    )


def test_render_bad_options(tmp_path):
    r = run("render", BASELINE, "-o", tmp_path / "x.svg", "--view", "tree")
    assert r.exit_code == 2 and "Invalid value for '--view'" in r.output
    r = run("render", BASELINE, "-o", tmp_path / "x.svg", "--as-of", "25/11/2026")
    assert r.exit_code == 2 and "'25/11/2026' is not a date: write it as YYYY-MM-DD" in r.output
    r = run("render", "-o", tmp_path / "x.svg")
    assert r.exit_code == 2 and "name a structure file or stored ref, or use --diff A B" in r.output
    r = run("render", BASELINE, "--diff", BASELINE, BASELINE, "-o", tmp_path / "x.svg")
    assert r.exit_code == 2 and "give either REF or --diff A B, not both" in r.output
    assert not (tmp_path / "x.svg").exists()


def test_render_missing_file(tmp_path):
    r = run("render", tmp_path / "none.yaml", "-o", tmp_path / "x.svg")
    assert r.exit_code == 1 and r.output.startswith("Error: ") and r.output.count("\n") == 1


def test_render_without_graphviz(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("render", BASELINE, "-o", tmp_path / "x.svg", env={"PATH": str(empty)})
    assert r.exit_code == 1
    assert r.output == "Error: Graphviz's dot was not found. Install it: apt-get install graphviz.\n"
    assert not (tmp_path / "x.svg").exists()
    r = run("render", BASELINE, "-o", tmp_path / "x.dot", env={"PATH": str(empty)})
    assert r.exit_code == 0 and (tmp_path / "x.dot").read_text(encoding="utf-8").startswith("digraph structure {")


def test_render_diff_of_two_files(tmp_path):
    before = tmp_path / "before.yaml"
    after = tmp_path / "after.yaml"
    before.write_text(SMALL, encoding="utf-8")
    merged().save(after)
    out = tmp_path / "change.dot"
    r = run("render", "--diff", before, after, "-o", out)
    assert r.exit_code == 0, r.output
    dot = out.read_text(encoding="utf-8")
    assert dot.startswith("digraph change {")
    assert "+ NEW" in dot and "× DISSOLVED 2028-04-01" in dot and 'arrowhead=empty color="#000000" constraint=false' in dot


def test_render_diff_svg(tmp_path):
    before = tmp_path / "before.yaml"
    after = tmp_path / "after.yaml"
    before.write_text(SMALL, encoding="utf-8")
    merged().save(after)
    out = tmp_path / "change.svg"
    r = run("render", "--diff", before, after, "-o", out)
    assert r.exit_code == 0, r.output
    text = " ".join(t.text or "" for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text"))
    assert "Hillshire CSP" in text and "North Hills CSP" in text


def test_report_writes_the_board_pack(tmp_path):
    out = tmp_path / "out" / "board-pack.html"
    r = run("report", TWO_UNITARIES, "-o", out)
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"Wrote {out} (") and r.output.endswith(" phases)\n")
    html = out.read_text(encoding="utf-8")
    assert "<h1>Oxfordshire and West Berkshire as two unitaries" in html
    assert html.count("<svg") == 2 and "<script" not in html
    assert "Ridgeway Community Safety Partnership" in html
    assert "vesting day" in html and "2028-04-01" in html
    assert "Findings of the checks, by date" in html


def test_report_needs_html(tmp_path):
    r = run("report", TWO_UNITARIES, "-o", tmp_path / "pack.pdf")
    assert r.exit_code == 2 and "the board pack is HTML: end the file name in .html" in r.output
    assert not (tmp_path / "pack.pdf").exists()


def test_report_bad_scenario_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nbase: nowhere.yaml\nphases: []\n", encoding="utf-8")
    r = run("report", bad, "-o", tmp_path / "pack.html")
    assert r.exit_code == 1 and r.output.startswith("Error: ") and r.output.count("\n") == 1
    assert not (tmp_path / "pack.html").exists()


def _two_files(tmp_path):
    before = tmp_path / "before.yaml"
    after = tmp_path / "after.yaml"
    before.write_text(SMALL, encoding="utf-8")
    merged().save(after)
    return before, after


def test_render_diff_draws_only_what_changes_unless_whole(tmp_path):
    from restructure.render import change_dot
    from restructure.structure import Structure

    before, after = _two_files(tmp_path)
    b, a = Structure.load(before), Structure.load(after)
    out = tmp_path / "change.dot"
    r = run("render", "--diff", before, after, "-o", out)
    assert r.exit_code == 0, r.output
    dot = out.read_text(encoding="utf-8")
    assert dot == change_dot(b, a) and "1 local area unchanged: not drawn (Riverton)" in dot
    r = run("render", "--diff", before, after, "--whole", "-o", out)
    assert r.exit_code == 0, r.output
    dot = out.read_text(encoding="utf-8")
    assert dot == change_dot(b, a, focus="all") and "Riverton CSP" in dot and "not drawn" not in dot
    r = run("render", "--diff", before, after, "--focus", "U1", "-o", out)
    assert r.exit_code == 0, r.output
    assert "around Riverton (U1)" in out.read_text(encoding="utf-8")


def test_render_whole_and_focus_options_checked(tmp_path):
    before, after = _two_files(tmp_path)
    r = run("render", BASELINE, "--whole", "-o", tmp_path / "x.svg")
    assert r.exit_code == 2 and "--whole is for change diagrams (--diff A B)" in r.output
    r = run("render", "--diff", before, after, "--whole", "--focus", "U1", "-o", tmp_path / "x.svg")
    assert r.exit_code == 2 and "give either --focus or --whole, not both" in r.output
    r = run("render", "--diff", before, after, "--view", "coverage", "-o", tmp_path / "x.svg")
    assert r.exit_code == 2 and "a change diagram is always the hierarchy view" in r.output
    r = run("render", "--diff", before, after, "--focus", "nowhere", "-o", tmp_path / "x.svg")
    assert r.exit_code == 1
    assert r.output.startswith("Error: --focus 'nowhere' is not an area or body in force on that date. ")
    assert not (tmp_path / "x.svg").exists()
