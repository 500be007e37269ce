"""Tests of restructure.render.pack: the board pack HTML, opened in real headless Chromium."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from restructure.errors import RenderError
from restructure.render.pack import board_pack, safe_svg
from test_render_fixtures import AFTER_ON, ON, merged, small, with_names

PHASES = [
    ("merger approved", dt.date(2027, 6, 1), "PCC approves the merger <of CSPs> & publishes it"),
    ("vesting day", AFTER_ON, "Hillshire CSP takes over"),
]
FINDINGS = [
    {"date": AFTER_ON, "severity": "warning", "code": "REP001", "message": "Seat <moved> & re-appointed"},
    {"date": dt.date(2027, 6, 1), "severity": "error", "code": "SVD001", "message": "No Duty partnership"},
]


def pack(before=None, after=None, **kw) -> str:
    return board_pack(
        before or small(), after or merged(), title=kw.pop("title", "Hillshire CSP merger"),
        phases=kw.pop("phases", PHASES), findings=kw.pop("findings", FINDINGS), on=AFTER_ON, before_on=ON, **kw,
    )


def chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium")
    assert exe, "Debian's chromium is not installed (.ci/run installs it)"
    cmd = [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console_errors(stderr: str) -> list[str]:
    return [
        line for line in stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line or "net::ERR" in line
    ]


def test_pack_has_every_part():
    html = pack()
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Hillshire CSP merger</h1>" in html
    for heading in ("What changes", "Timeline of phases", "Findings of the checks, by date", "Before:", "After:"):
        assert heading in html
    assert html.count("<svg") == 2
    assert "Dissolved: North Hills CSP, succeeded by Hillshire CSP." in html
    # findings by date: the earlier first, whatever order they came in
    assert html.index("SVD001") < html.index("REP001")
    assert '<td class="error">error</td>' in html
    assert "@page { size: A4 landscape" in html and "break-before: page" in html
    # Both diagrams draw only the local area that changes (before: as it stood), so the pages correspond.
    after = html[html.index('<section class="diagram after">'):]
    before = html[html.index('<section class="diagram before">'):html.index('<section class="diagram after">')]
    for page in (before, after):
        assert "1 local area unchanged: not drawn (Riverton)" in page and "Riverton CSP" not in page
    assert "North Hills CSP" in before and "Hillshire CSP" not in before
    assert "before the change" in before


def test_pack_names_the_after_side():
    # merged() has its own name: it titles the after side.
    html = pack()
    assert "<h2>After: Small valley, merged CSPs on 2028-04-01, changes marked</h2>" in html
    assert "<h2>Before: Small valley on 2026-11-25</h2>" in html
    # A result that keeps its base's name (as a scenario's does) is called by the pack's title.
    after = merged()
    after.name = small().name
    html = pack(after=after, title="Hillshire CSP merger")
    assert "<h2>After: Hillshire CSP merger on 2028-04-01, changes marked</h2>" in html
    assert ">Hillshire CSP merger</text>" in html  # the after diagram's title too
    html = pack(after=after, after_label="Option B")
    assert "<h2>After: Option B on 2028-04-01" in html


def test_pack_can_draw_the_whole_change():
    html = pack(focus="all")
    after = html[html.index('<section class="diagram after">'):]
    before = html[html.index('<section class="diagram before">'):html.index('<section class="diagram after">')]
    assert "Riverton CSP" in after and "not drawn" not in after
    assert "Riverton CSP" in before and "not drawn" not in before


def test_pack_is_self_contained():
    html = pack()
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html


def test_pack_escapes_all_text():
    nasty = "<script>alert(1)</script>"
    s = with_names(nasty, 'O\'Brien & "Sons" — Ōxford')
    html = board_pack(s, s, title=f"Pack {nasty}", phases=[(nasty, ON, nasty)],
                      findings=[{"date": ON, "severity": "info", "code": "X", "message": nasty}],
                      diff_text=[nasty], on=ON, before_on=ON)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Ōxford" in html  # UTF-8, not mangled


def test_pack_from_a_checks_report():
    from restructure.checks import check_timeline

    report = check_timeline(merged(), [AFTER_ON], base=small())
    html = pack(findings=report)
    for f in report.findings:
        assert f.code in html


def test_diff_text_with_headings():
    html = pack(diff_text="Bodies\n  + Hillshire CSP created\n  - North Hills CSP dissolved\nSeats\n  ~ moved")
    assert '<p class="group">Bodies</p><ul class="changes"><li>+ Hillshire CSP created</li>' in html
    assert "<li>~ moved</li></ul>" in html


def test_empty_sections_say_so():
    html = board_pack(small(), small(), title="Nothing", on=ON, before_on=ON)
    assert "No change to bodies, coverage or board seats." in html
    assert "No phases." in html and "No findings." in html


@pytest.mark.parametrize(
    "svg",
    [
        '<svg><script>alert(1)</script></svg>',
        '<svg><g onload="alert(1)"></g></svg>',
        '<svg><a xlink:href="javascript:alert(1)"></a></svg>',
        '<svg><image href="https://example.org/x.png"/></svg>',
        "not svg at all",
    ],
)
def test_unsafe_svg_is_refused(svg):
    with pytest.raises(RenderError):
        safe_svg(svg)


def test_pack_renders_in_chromium(tmp_path):
    nasty = "<script>alert(1)</script>"
    after = merged()
    from restructure.model import Body, Relation

    after.add(Body(id="nasty", name=nasty, kind="other", start=AFTER_ON))
    after.add(Relation(kind="serves", source="nasty", target="U1", start=AFTER_ON))
    page = tmp_path / "board-pack.html"
    page.write_text(pack(after=after, title=f"Merger {nasty}"), encoding="utf-8")
    shot = tmp_path / "pack.png"
    run = chromium([f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri()], tmp_path)
    assert shot.exists(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a blank page is a few kB
    assert console_errors(run.stderr) == []
    dom = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<script" not in dom.stdout  # the name stayed inert text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom.stdout
    assert console_errors(dom.stderr) == []


def test_pack_prints_to_pdf(tmp_path):
    page = tmp_path / "board-pack.html"
    page.write_text(pack(), encoding="utf-8")
    pdf = tmp_path / "pack.pdf"
    run = chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], tmp_path)
    assert pdf.exists(), run.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # Landscape A4 is 842 x 595 points; each diagram starts a page (summary, before, after).
    assert re.search(rb"/MediaBox\s*\[\s*0 0 84[12]\.\d+ 59[45]\.\d+\s*\]", data), "pages are not A4 landscape"
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3


def test_pack_timeline_says_under_what_authority(tmp_path):
    from restructure.apply import run_scenario
    from restructure.baseline import SCENARIOS

    out = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    phases = [(p.name, p.date, p.description) for p in out.phases]
    html = board_pack(out.base, out.structure, title="two", phases=phases, before_svg="<svg></svg>", after_svg="<svg></svg>")
    assert "<th>Under what authority</th>" in html
    vesting = re.search(r"<td>vesting day</td>.*?</tr>", html, flags=re.S).group(0)
    assert "Structural changes order: The Oxfordshire and West Berkshire (Structural Changes) Order (not yet made) (assumed)" in vesting
    realigned = re.search(r"<td>CSPs and Prevention Partnerships realigned</td>.*?</tr>", html, flags=re.S).group(0)
    assert "PCC decision: Thames Valley PCC decision (not yet made) (assumed)" in realigned
    bare = board_pack(out.base, out.base, title="none", phases=[("nothing", dt.date(2030, 1, 1), None)],
                      before_svg="<svg></svg>", after_svg="<svg></svg>")
    assert '<p class="none">no basis recorded</p>' in bare
