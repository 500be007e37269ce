"""Hostile but valid names (tests/corpus/hostile) through every output: text, never markup.

Markdown is turned into HTML with Python-Markdown (the route the README
suggests for board papers), the SVG and the board pack are parsed, and the
pack is loaded in real headless Chromium: no element or attribute a name
brought in, and no script run (each payload would set the page's title).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import markdown as python_markdown
import pytest
from click.testing import CliRunner

from restructure.cli import cli
from restructure.render.pack import safe_svg
from test_render_pack import chromium, console_errors

HOSTILE = Path(__file__).parent / "corpus" / "hostile"
NAMES = HOSTILE / "names.yaml"
RENAME = HOSTILE / "rename.yaml"
LONG = "Slough " + "x" * 10_000


class Elements(HTMLParser):
    """Every element and attribute of an HTML page, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def run(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("diff", RENAME, "--format", "markdown", "--edits"),
        ("diff", NAMES, NAMES, "--format", "markdown"),
        ("check", RENAME, "--format", "markdown"),
    ],
    ids=["diff-scenario", "diff-files", "check"],
)
def test_markdown_turned_into_html_holds_only_the_tags_we_wrote(args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output  # check exits 1 on error findings
    html = python_markdown.markdown(result.stdout, extensions=["tables"])
    page = Elements(html)
    allowed = {"h2", "h3", "p", "strong", "em", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
    assert {t for t, _ in page.tags} <= allowed, html
    assert all(set(a) <= {"align"} for _, a in page.tags), html
    if args[0] == "diff" and args[1] == RENAME:
        text = "".join(page.text)
        assert "Slough <img src=x onerror=document.title='pwned6'> javascript:alert(4)" in text
        assert "=cmd|' /C calc'!A0 <svg onload=document.title='pwned7'>" in text


def test_terminal_shows_escapes_not_commands():
    # Names cannot hold control characters (refused at load); a ref typed on the command line can.
    result = CliRunner().invoke(cli, ["show", "nothing\x1b]0;pwned\x07\x1b[2J\u202e.yaml"])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert "nothing\\x1b]0;pwned\\x07\\x1b[2J\\u202e.yaml" in result.stderr
    out = run("show", NAMES, "--all-dates")
    assert "Slough <img src=x onerror=document.title='pwned1'>" in out  # plain text on a terminal


def test_svg_holds_only_graphviz_elements_and_the_long_name_is_cut(tmp_path):
    out = tmp_path / "names.svg"
    run("render", NAMES, "-o", out, "--as-of", "2028-01-01")
    svg = out.read_text(encoding="utf-8")
    assert safe_svg(svg)  # the guard passes names that merely mention javascript: and onload=
    root = ElementTree.fromstring(svg[svg.find("<svg"):])
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for el in root.iter():
        assert el.tag.rpartition("}")[2] not in ("script", "foreignObject", "image", "iframe")
        assert not [k for k in el.attrib if k.rpartition("}")[2].startswith("on")]
    assert any("Slough <img src=x onerror=document.title='pwned1'>" in t for t in texts)
    assert "@SUM(1+1) javascript: onload=alert(1)" in " ".join(texts)  # wrapped over lines
    assert max(len(t) for t in texts) <= 150  # wrapped, or cut
    assert sum(len(t) for t in texts if "xxxx" in t) < 200  # 10,000 characters cut with an ellipsis
    assert any(t.endswith("…") for t in texts if "xxxx" in t)
    tips = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("title")]
    assert any(LONG in v for v in tips)  # the full name stays in the tooltip
    width = float(root.get("width").removesuffix("pt"))
    assert width < 3000  # not a sliver: the diagram did not stretch to 10,000 characters


def test_board_pack_in_chromium_runs_no_script(tmp_path):
    page = tmp_path / "pack.html"
    run("report", RENAME, "-o", page)
    html = page.read_text(encoding="utf-8")
    parsed = Elements(html)
    names = {t for t, _ in parsed.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "foreignobject", "image"}, names
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    title = "Rename <script>document.title='pwned4'</script>"
    dom = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    loaded = Elements(dom.stdout)
    assert "pwned" not in "".join(t for t, _ in loaded.tags)
    head = dom.stdout[: dom.stdout.find("</title>")]
    assert "pwned4" in head and "document.title=" in head  # the title is the escaped name, unchanged
    assert not [t for t, _ in loaded.tags if t in ("script", "img")]
    assert title in "".join(loaded.text)
    assert console_errors(dom.stderr) == []


DRIFT = """
name: drift hostile
areas:
  - {id: E23000029, name: Thames Valley, kind: police_force_area}
  - {id: E10000025, name: Oxfordshire, kind: county, parent: E23000029}
  - {id: E07000177, name: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")", kind: district, parent: E10000025}
  - {id: E07000178, name: "@SUM(1+1) <img src=x onerror=alert(1)>", kind: district, parent: E10000025}
  - {id: E07000179, name: "-2+3 [click](javascript:alert(1))", kind: district, parent: E10000025}
"""


def test_csv_cells_start_no_formula_and_drift_markdown_stays_text(tmp_path):
    import csv
    import io

    f = tmp_path / "drift.yaml"
    f.write_text(DRIFT, encoding="utf-8")
    rows = list(csv.reader(io.StringIO(run("drift", f, "--as-of", "2026-11-25", "--format", "csv").lstrip("\ufeff"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells and "'@SUM(1+1) <img src=x onerror=alert(1)>" in cells
    html = python_markdown.markdown(run("drift", f, "--as-of", "2026-11-25", "--format", "markdown"),
                                    extensions=["tables"])
    page = Elements(html)
    assert {t for t, _ in page.tags} <= {"p", "strong", "table", "thead", "tbody", "tr", "th", "td"}, html
    assert "@SUM(1+1) <img src=x onerror=alert(1)>" in "".join(page.text)
