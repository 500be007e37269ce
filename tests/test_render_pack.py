"""Tests of restructure.render.pack: the board paper as HTML, on screen and printed by real Chromium."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SCENARIOS
from pack_fixtures import no_gap_scenario, small_scenario
from restructure.errors import RenderError
from restructure.render.pack import board_pack, safe_svg
from test_render_fixtures import small, with_names

MADE = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
OXON = SCENARIOS / "oxfordshire"
THREE = [OXON / "one-unitary.yaml", OXON / "two-unitaries.yaml", OXON / "three-unitaries.yaml"]


def pack(scenario=None, **kw) -> str:
    return board_pack([scenario or small_scenario()], base=small(), made=MADE, **kw)


def chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium")
    assert exe, "Debian's chromium is not installed (make system installs it)"
    cmd = [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def console_errors(stderr: str) -> list[str]:
    return [
        line for line in stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line or "net::ERR" in line
    ]


def test_page_one_says_what_goes_wrong_in_sentences_then_the_verdict():
    html = pack()
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Hillshire CSP merger</h1>" in html
    one = html[:html.index('<section class="option"')]
    assert "<li>Hillshire has no Strategy Board seat from 1 June 2027 to 1 April 2028: 305 days.</li>" in one
    assert one.index("What goes wrong, and for how long") < one.index("Verdict")
    assert "Hillshire CSP merger: not ready as drafted." in one
    assert "error(s)" not in html  # sentences, not a count line


def test_option_section_states_assumptions_sources_and_named_changes():
    html = pack()
    assert "Assumed by the scenario, not confirmed" in html
    assert "<li>The merger is approved by the PCC in time.</li>" in html
    assert "<li>Hillshire County Council cabinet paper (illustrative)</li>" in html
    for heading in ("Timeline of phases", "Findings of the checks, by date", "<h4>Bodies</h4>",
                    "<h4>Coverage by district and unitary</h4>", "<h4>Strategy Board seats</h4>"):
        assert heading in html
    # names first, ids in small print
    assert "<td>Hillshire CSP <small>hill-csp</small></td><td>created</td>" in html
    assert "<td>North Hills <small>D1</small></td><td>North Hills CSP</td><td>Hillshire CSP</td>" in html
    # findings carry their rule's title
    assert "a local area has no seat on the Strategy Board <small>REP001</small>" in html


def test_attribution_and_provenance():
    html = pack()
    assert "Source: Office for National Statistics licensed under the Open Government Licence v3.0." in html
    assert "Source: mySociety, uk_local_authority_names_and_codes, licensed under CC BY 4.0." in html
    assert "Made 2026-12-02T09:30:00Z by restructure " in html
    html = board_pack([OXON / "csp-merge.yaml"], made=MADE)
    assert re.search(r"applied to Thames Valley baseline: \.\./baseline/thames-valley\.yaml \(sha256 [0-9a-f]{16}\)",
                     html)


def test_phase_panels_in_order_with_the_gap_marked():
    html = pack()
    headings = re.findall(r'<section class="diagram p-\d">\s*<h3>([^<]*)</h3>', html)
    assert headings == ["Before: Small valley on 31 May 2027", "Phase 1: seat given up, 1 June 2027",
                        "Phase 2: CSPs merge, 1 April 2028"]
    assert html.count("<svg") == 3
    gap = html[html.index("Phase 1: seat given up"):html.index("Phase 2: CSPs merge")]
    assert '<p class="gap">&#9888; Hillshire (C1) has no seat on Strategy Board</p>' in gap
    assert "NO BOARD SEAT" in gap  # the area itself is marked in the diagram
    # the on-screen control: radio buttons and labels, no script
    assert html.count('<input class="phase" type="radio" name="ph-1"') == 3
    assert '#ph-1-2:checked ~ section.p-2 { display: block; }' in html


def test_before_and_after_only():
    html = pack(phases=False)
    assert html.count("<svg") == 2 and "The transition, before and after" in html


def test_several_options_make_an_appraisal():
    html = board_pack([small_scenario(), no_gap_scenario()], base=small(), made=MADE)
    assert "<h1>Options appraisal: 2 options</h1>" in html
    assert html.index("The options side by side") < html.index("Option 1: Hillshire CSP merger")
    assert html.index("Option 1: Hillshire CSP merger") < html.index("Option 2: Merger without the gap")
    assert "<td>305<br><small>Hillshire 2027-06-01 to 2028-04-01</small></td><td>0</td>" in html


def test_pack_is_self_contained():
    html = pack()
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html


def test_pack_escapes_all_text():
    nasty = "<script>alert(1)</script>"
    sc = small_scenario(f"Pack {nasty}", first_phase=nasty, description=nasty, assumptions=[nasty],
                        sources=[f'O\'Brien & "Sons" {nasty}'])
    html = pack(sc)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_marking_top_and_foot_and_only_known_markings():
    html = pack(marking="OFFICIAL-SENSITIVE")
    assert '@top-center { content: "OFFICIAL-SENSITIVE"' in html and '@bottom-center { content: "OFFICIAL-SENSITIVE"' in html
    assert html.count('<p class="marking screen">OFFICIAL-SENSITIVE</p>') == 2
    with pytest.raises(RenderError, match="is not a UK Government Security Classification"):
        pack(marking='X"; } body { display: none')


def test_a_councils_own_template(tmp_path):
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
                                       encoding="utf-8")
    (tmp_path / "council.css").write_text("h1 { color: #336600; }", encoding="utf-8")
    (tmp_path / "pack.html").write_text(
        '{% extends "restructure/pack.html" %}'
        '{% block header %}<img alt="Hillshire" src="{{ inline("logo.svg") }}"><p>Hillshire Council</p>{% endblock %}'
        '{% block footer %}<p>Hillshire Council, Community Safety Team</p>{% endblock %}'
        '{% block styles %}{{ stylesheet("council.css") }}{% endblock %}',
        encoding="utf-8",
    )
    html = pack(template=tmp_path)
    assert '<img alt="Hillshire" src="data:image/svg+xml;base64,' in html
    assert "<p>Hillshire Council, Community Safety Team</p>" in html and "h1 { color: #336600; }" in html
    assert "Thames Valley Violence Prevention Partnership: Strategy Board" not in html  # header replaced
    assert "What goes wrong, and for how long" in html  # the rest as shipped


def test_template_errors_are_render_errors(tmp_path):
    (tmp_path / "pack.html").write_text("{% block x %}", encoding="utf-8")
    with pytest.raises(RenderError, match="the pack template cannot be used at line 1"):
        pack(template=tmp_path)
    (tmp_path / "pack.html").write_text('<img src="{{ inline("../secret.txt") }}">', encoding="utf-8")
    with pytest.raises(RenderError, match="no file ../secret.txt in the template folder"):
        pack(template=tmp_path)
    with pytest.raises(RenderError, match="no template folder at"):
        pack(template=tmp_path / "missing")


@pytest.mark.parametrize(
    "svg",
    [
        '<svg><script>alert(1)</script></svg>',
        '<svg><g onload="alert(1)"></g></svg>',
        '<svg><a xlink:href="javascript:alert(1)"></a></svg>',
        '<svg><image href="https://example.org/x.png"/></svg>',
        "not svg at all",
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href=" java\tscript:alert(1)"><text>x</text></a></svg>',
        '<svg><a href="//evil.example/x"><text>x</text></a></svg>',
        '<svg><a href="data:text/html,x"><text>x</text></a></svg>',
        '<svg><g ONMOUSEOVER="alert(1)"></g></svg>',
        '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
        '<svg><set attributeName="onload" to="alert(1)"/></svg>',
        '<svg><use href="#a"/></svg>',
        '<svg><g style="fill: url(https://evil.example/x)"></g></svg>',
        "<svg><g></svg>",
    ],
)
def test_unsafe_svg_is_refused(svg):
    with pytest.raises(RenderError):
        safe_svg(svg)


def test_pack_renders_in_chromium(tmp_path):
    nasty = "<script>alert(1)</script>"
    page = tmp_path / "board-pack.html"
    page.write_text(pack(small_scenario(f"Merger {nasty}")), encoding="utf-8")
    shot = tmp_path / "pack.png"
    run = chromium([f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri()], tmp_path)
    assert shot.exists(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a blank page is a few kB
    assert console_errors(run.stderr) == []
    dom = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<script" not in dom.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom.stdout
    assert console_errors(dom.stderr) == []


def pages_text(pdf: Path) -> list[list[str]]:
    """Each page's lines of text (pdftotext), without the marking and page number in the margins."""
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                                                          check=True).stdout).group(1))
    out = []
    for i in range(1, n + 1):
        text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [" ".join(x.split()) for x in text.splitlines() if x.strip()]
        lines = [re.sub(r"\s*Page \d+ of \d+$", "", x) for x in lines]
        out.append([x for x in lines if x and x != "OFFICIAL-SENSITIVE"])
    return out


def headings(html: str) -> list[str]:
    import html as h

    found = re.findall(r"<h([1-4])[^>]*>(.*?)</h\1>", html, re.S)
    return [" ".join(h.unescape(re.sub("<[^>]+>", "", t)).split()) for _, t in found]


def test_three_options_printed_to_pdf(tmp_path):
    """The Oxfordshire options on A4 in real Chromium: no page holds only a heading, none ends in one,
    every diagram page carries its heading; pages written as PNG under tmp_path for a look."""
    from restructure.render.pdf import html_to_pdf

    html = board_pack(THREE, made=MADE, marking="OFFICIAL-SENSITIVE")
    pdf = html_to_pdf(html, tmp_path / "options.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0 0 84[12]\.\d+ 59[45]\.\d+\s*\]", data), "pages are not A4 landscape"
    pages = pages_text(pdf)
    (tmp_path / "page-count.txt").write_text(str(len(pages)), encoding="utf-8")
    assert 20 <= len(pages) <= 45, len(pages)  # 3 options x (text pages + 4 diagrams), summary, comparison
    heads = {h for h in headings(html) if h}
    for n, lines in enumerate(pages, start=1):
        assert lines, f"page {n} is empty"
        joined = " ".join(lines)
        assert joined not in heads, f"page {n} holds only the heading {joined!r}"
        assert lines[-1] not in heads, f"page {n} ends in the heading {lines[-1]!r}"
    # each page's marking, top and foot
    raw = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert raw.count("OFFICIAL-SENSITIVE") == 2 * len(pages)
    diagram_pages = [lines for lines in pages if any("changes from" in x or "before the change" in x for x in lines)]
    assert len(diagram_pages) == 12  # before + three phases, for each of three options
    for lines in diagram_pages:
        assert re.match(r"^Option [123]\. (Before: |Phase [123]: )", lines[0]), lines[:2]
    gap = [lines for lines in diagram_pages if lines[0].startswith("Option 2. Phase 2: vesting day")][0]
    assert "⚠ Ridgeway has no seat on VPP Strategy Board" in gap
    assert "Ridgeway has no Strategy Board seat from 1 April 2028 to 1 October 2028: 183 days." in " ".join(pages[0])
    subprocess.run(["pdftoppm", "-png", "-r", "50", pdf, tmp_path / "page"], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == len(pages)
    shot = tmp_path / "options.png"
    (tmp_path / "options.html").write_text(html, encoding="utf-8")
    chromium([f"--screenshot={shot}", "--window-size=1400,1000", (tmp_path / "options.html").as_uri()], tmp_path)
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_pack_timeline_says_under_what_authority():
    html = board_pack(str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml"), phases=False)
    assert "<th>Under what authority</th>" in html
    vesting = re.search(r"<td>vesting day</td>.*?</tr>", html, flags=re.S).group(0)
    assert "Structural changes order: The Oxfordshire and West Berkshire (Structural Changes) Order (not yet made) (assumed)" in vesting
    realigned = re.search(r"<td>CSPs and Prevention Partnerships realigned</td>.*?</tr>", html, flags=re.S).group(0)
    assert "PCC decision: Thames Valley PCC decision (not yet made) (assumed)" in realigned


@pytest.mark.parametrize(
    "name",
    ["javascript: the plan", "Slough onload=alert(1)", "Council  onclick = x", "<script>x</script>",
     "a href=\"http://x\"", "Board (see //intranet/board)"],
)
def test_harmless_names_that_mention_active_content_pass_the_guard(name):
    # The guard parses the SVG: a name is text and tooltip, never an element or attribute.
    html = board_pack([small_scenario()], base=with_names(name), made=MADE, title=name)
    assert html.count("<svg") >= 2


def _drawn(svg: bytes) -> dict[tuple, tuple[str, ...]]:
    """Each node's shape and each visible text in it, by (node, what): the coordinates drawn."""
    ns = "{http://www.w3.org/2000/svg}"
    out = {}
    for g in ET.fromstring(svg).iter(f"{ns}g"):
        if g.get("class") != "node":
            continue
        node = g.find(f"{ns}title").text
        shape = next((e for e in g if e.tag in (f"{ns}polygon", f"{ns}ellipse")), None)
        if shape is not None:
            out[node, "shape"] = tuple(shape.get(k) or "" for k in ("points", "cx", "cy"))
        for k, t in enumerate(g.iter(f"{ns}text")):  # every panel writes the same lines in one order
            if t.get("fill") != "#ffffff" and t.text and t.text.strip():
                out[node, t.text, k] = (t.get("x"), t.get("y"))
    return out


def test_phase_panels_keep_every_body_in_place():
    from restructure.baseline import load_baseline
    from restructure.refs import load_structure
    from restructure.render import render_dot
    from restructure.render.change import transition_panels

    panels = transition_panels(load_baseline(), load_structure(str(OXON / "two-unitaries.yaml")))
    drawn = [_drawn(render_dot(p.scene.to_digraph("panel").source, "svg")) for p in panels]
    assert len(drawn) == 4
    shared = 0
    for i, a in enumerate(drawn):
        for b in drawn[i + 1:]:
            for key in a.keys() & b.keys():
                assert a[key] == b[key], key
                shared += 1
    assert shared > 100  # the panels do share most of what they draw
    # A body that is on some panels only: drawn in the same place on each.
    assert any(key[:2] == ("s/ridgeway", "Ridgeway Council") for key in drawn[3])
    # The dissolved bodies sit apart, in a box of their own, on every panel.
    for p in panels:
        assert "zz_dissolved" in p.scene.clusters
        assert p.scene.node_cluster["dissolved"] == "zz_dissolved"
        assert p.scene.where["oxfordshire-cc"].startswith("dissolved:")
    assert any(key[:2] == ("dissolved", "× DISSOLVED 2028-04-01") for key in drawn[2])
    assert not any(what[0].startswith("×") for node, *what in drawn[0] if node != "key")  # not yet dissolved
    # The gap is marked on its panel only; the words are not hidden in the others.
    svgs = [render_dot(p.scene.to_digraph("panel").source, "svg").decode() for p in panels]
    assert ["NO BOARD SEAT" in s for s in svgs] == [False, False, True, False]


def test_phase_panels_same_bytes_every_time():
    from restructure.baseline import load_baseline
    from restructure.refs import load_structure
    from restructure.render.change import transition_panels

    def sources():
        panels = transition_panels(load_baseline(), load_structure(str(OXON / "two-unitaries.yaml")))
        return [p.scene.to_digraph("panel").source for p in panels]

    assert sources() == sources()
