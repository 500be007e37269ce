"""`restructure render` and `restructure report`: files written, exact messages, exit codes."""

from __future__ import annotations

import re
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


def test_render_bad_extension_is_a_bad_option(tmp_path):
    out = tmp_path / "out" / "x.jpg"
    r = run("render", BASELINE, "-o", out)
    assert r.exit_code == 2
    assert (
        f"Error: Invalid value for -o/--output: cannot tell the format of '{out}' from its extension. "
        "End the file name in one of: .svg, .png, .pdf, .dot" in r.output
    )
    assert not out.exists()


def test_render_png_is_large_enough_to_read(tmp_path):
    import struct

    out = tmp_path / "structure.png"
    r = run("render", BASELINE, "-o", out, "--as-of", "2026-11-25")
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    width, height = struct.unpack(">II", data[16:24])  # the PNG header's IHDR
    # At Graphviz's default 96 dpi this was 1063 x 769 px; the default is now 192 dpi.
    assert width > 2000, (width, height)
    small = tmp_path / "small.png"
    r = run("render", BASELINE, "-o", small, "--as-of", "2026-11-25", "--dpi", "96")
    assert r.exit_code == 0, r.output
    assert struct.unpack(">I", small.read_bytes()[16:20])[0] < 1200


def test_render_dpi_and_after_label_checked(tmp_path):
    r = run("render", BASELINE, "-o", tmp_path / "x.svg", "--dpi", "200")
    assert r.exit_code == 2 and "--dpi is for .png output; SVG and PDF are vector" in r.output
    r = run("render", BASELINE, "-o", tmp_path / "x.png", "--dpi", "5")
    assert r.exit_code == 2 and "Invalid value for '--dpi'" in r.output
    r = run("render", BASELINE, "-o", tmp_path / "x.svg", "--after-label", "After")
    assert r.exit_code == 2 and "--after-label is for change diagrams (--diff A B)" in r.output
    assert not any(tmp_path.iterdir())


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
    assert "+ NEW" in dot and "× DISSOLVED 2028-04-01" in dot and 'arrowhead=empty arrowsize=0.6 color="#9A9A9A" constraint=false' in dot


def test_render_diff_of_the_same_structure_says_so_and_exits_1(tmp_path):
    out = tmp_path / "change.dot"
    r = run("render", "--diff", BASELINE, BASELINE, "-o", out)
    assert r.exit_code == 1
    assert r.stderr == (
        f"no differences: {BASELINE} and {BASELINE} hold the same structure; nothing written "
        "(--allow-empty draws it anyway)\n"
    )
    assert not out.exists()
    r = run("render", "--diff", BASELINE, BASELINE, "-o", out, "--allow-empty")
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("digraph change {")
    r = run("render", BASELINE, "-o", out, "--allow-empty")
    assert r.exit_code == 2 and "--allow-empty is for change diagrams" in r.stderr


def test_render_diff_after_label(tmp_path):
    before, after = _two_files(tmp_path)
    out = tmp_path / "change.dot"
    r = run("render", "--diff", before, after, "-o", out)
    assert r.exit_code == 0, r.output
    assert "label=<<B>Small valley, merged CSPs</B>" in out.read_text(encoding="utf-8")  # B's own name
    r = run("render", "--diff", before, after, "--after-label", "Hillshire option", "-o", out)
    assert r.exit_code == 0, r.output
    dot = out.read_text(encoding="utf-8")
    assert "label=<<B>Hillshire option</B>" in dot and "applied to Small valley" in dot
    from restructure.structure import Structure

    same_name = tmp_path / "option.yaml"
    text = after.read_text(encoding="utf-8")
    same_name.write_text(text.replace(f"name: {merged().name}\n", f"name: {Structure.load(before).name}\n", 1))
    assert Structure.load(same_name).name == Structure.load(before).name
    r = run("render", "--diff", before, same_name, "-o", out)  # same names: B as typed
    assert r.exit_code == 0, r.output
    assert f"label=<<B>{same_name}</B>" in out.read_text(encoding="utf-8")


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
    assert r.output == f"Wrote {out} (1 option)\n"
    html = out.read_text(encoding="utf-8")
    assert "<h1>Oxfordshire and West Berkshire as two unitaries" in html and "<script" not in html
    assert "<li>Ridgeway has no Strategy Board seat from 1 April 2028 to 1 October 2028: 183 days.</li>" in html
    assert "<li>Vesting day 1 April 2028; shadow election 6 May 2027.</li>" in html  # its assumptions
    assert html.count("<svg") == 4  # before, and one panel per phase date
    assert "Phase 2: vesting day, 1 April 2028" in html
    # New local areas gain seats; nothing is said to have moved from nobody.
    # Ridgeway (new on vesting day) gains its seat in the last phase; nothing moves from nobody.
    assert "+ SEAT: Ridgeway (no seat before)" in html and "was nobody" not in html


def test_report_of_several_options_and_marking(tmp_path):
    out = tmp_path / "options.html"
    r = run("report", TWO_UNITARIES, SCENARIOS / "oxfordshire" / "csp-merge.yaml", "-o", out,
            "--marking", "official-sensitive", "--no-phases", "--title", "Options for Oxfordshire")
    assert r.exit_code == 0 and r.output == f"Wrote {out} (2 options)\n"
    html = out.read_text(encoding="utf-8")
    assert "<h1>Options for Oxfordshire</h1>" in html and "The options side by side" in html
    assert '@top-center { content: "OFFICIAL-SENSITIVE"' in html and html.count("<svg") == 4


def test_report_pdf(tmp_path):
    out = tmp_path / "pack.pdf"
    r = run("report", SCENARIOS / "oxfordshire" / "csp-merge.yaml", "-o", out, "--marking", "OFFICIAL")
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF") and not (tmp_path / "pack.pdf.tmp").exists()


def test_report_pdf_without_chromium_is_one_line(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    r = run("report", TWO_UNITARIES, "-o", tmp_path / "pack.pdf")
    assert r.exit_code == 1
    assert r.output == ("Error: Chromium is not installed: it prints the board pack to PDF. Install it with "
                        "`sudo apt-get install chromium` (Debian, Ubuntu) or write .html and print from a browser.\n")
    assert not (tmp_path / "pack.pdf").exists()


def test_report_other_formats_exit_2(tmp_path):
    r = run("report", TWO_UNITARIES, "-o", tmp_path / "x.docx")
    assert r.exit_code == 2 and "the board pack is .html or .pdf: end the file name in one of them" in r.output
    assert not (tmp_path / "x.docx").exists()


def test_report_unknown_marking_exits_2(tmp_path):
    r = run("report", TWO_UNITARIES, "-o", tmp_path / "x.html", "--marking", "PRIVATE")
    assert r.exit_code == 2
    assert "'PRIVATE' is not one of OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET" in r.output


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


def test_render_diff_phases_one_file_per_date(tmp_path):
    out = tmp_path / "ph" / "phases.svg"
    r = run("render", "--diff", BASELINE, TWO_UNITARIES, "--phases", "-o", out)
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.parent.iterdir())
    assert names == ["phases-0-before.svg", "phases-1-2027-05-06.svg", "phases-2-2028-04-01.svg",
                     "phases-3-2028-10-01.svg"]
    texts = {n: " ".join(t.text or "" for t in ET.parse(out.parent / n).getroot().iter("{http://www.w3.org/2000/svg}text"))
             for n in names}
    assert "NO BOARD SEAT" in texts["phases-2-2028-04-01.svg"]
    assert "Ridgeway has no seat on VPP Strategy Board" in texts["phases-2-2028-04-01.svg"]
    assert "NO BOARD SEAT" not in texts["phases-3-2028-10-01.svg"]
    assert "changes from 2028-04-01 to 2028-10-01" in texts["phases-3-2028-10-01.svg"]


def test_render_phases_needs_diff(tmp_path):
    r = run("render", BASELINE, "--phases", "-o", tmp_path / "x.svg")
    assert r.exit_code == 2 and "--phases is for change diagrams (--diff A B)" in r.output


def test_report_on_a_stored_base_names_its_version(tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert run("init", "--baseline", BASELINE, "--db", db).exit_code == 0
    out = tmp_path / "pack.html"
    r = run("report", SCENARIOS / "oxfordshire" / "csp-merge.yaml", "--base", "baseline", "--db", db, "-o", out,
            "--no-phases")
    assert r.exit_code == 0, r.output
    assert re.search(r"applied to Thames Valley baseline: stored ref baseline \(version [0-9a-f]{12}\)",
                     out.read_text(encoding="utf-8"))
