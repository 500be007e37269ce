"""A Comparison displays itself in notebooks: the summary as HTML, then the change diagram as SVG."""

from __future__ import annotations

import datetime as dt

from conftest import SCENARIOS
from restructure.diff import Comparison, compare, compare_refs, compare_scenario
from restructure.model import Body, Relation
from test_render_fixtures import AFTER_ON, merged, small

NASTY = "<script>alert(1)</script>"


def test_html_is_the_summary_then_the_focused_change_svg():
    cmp = compare(small(), merged(), findings=False)
    assert cmp.structures is not None and cmp.structures[1].name == "Small valley, merged CSPs"
    html = cmp._repr_html_()
    assert html.startswith('<pre class="restructure-diff">')
    assert html.index("</pre>") < html.index("<svg")
    assert "North Hills CSP" in html[: html.index("</pre>")]  # the summary names the dissolved CSP
    svg = html[html.index("<svg"):]
    assert "Hillshire CSP" in svg and "DISSOLVED" in svg
    assert "1 local area unchanged: not drawn (Riverton)" in svg  # focused, as change diagrams are
    assert "<?xml" not in html  # inlined without the XML prologue


def test_body_names_are_escaped_in_summary_and_diagram():
    after = merged()
    after.add(Body(id="nasty", name=NASTY, kind="community_safety_partnership", tier="local", start=AFTER_ON))
    after.add(Relation(kind="covers", source="nasty", target="D1", start=AFTER_ON))
    html = compare(small(), after, findings=False)._repr_html_()
    assert "<script" not in html
    summary = html[: html.index("</pre>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html[html.index("<svg"):]


def test_without_dot_only_the_summary(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    cmp = compare(small(), merged(), findings=False)
    html = cmp._repr_html_()
    assert "<svg" not in html
    assert html.startswith('<pre class="restructure-diff">') and html.endswith("</pre>")
    assert "North Hills CSP" in html


def test_a_comparison_without_structures_shows_the_summary():
    cmp = compare(small(), merged(), findings=False)
    bare = Comparison(cmp.before, cmp.after, cmp.diff, cmp.changes)
    assert bare.structures is None
    assert bare._repr_html_() == cmp._repr_html_()[: cmp._repr_html_().index("</pre>") + len("</pre>")]
    assert bare == cmp  # the structures are not part of what a comparison is equal by
    assert bare._repr_markdown_() == cmp._repr_markdown_()


def test_scenario_and_ref_comparisons_keep_their_structures():
    from restructure.apply import run_scenario

    path = SCENARIOS / "oxfordshire" / "one-unitary.yaml"
    outcome = run_scenario(path)
    cmp = compare_scenario(outcome, findings=False)
    assert cmp.structures == (outcome.base, outcome.structure)
    html = cmp._repr_html_()
    assert "<svg" in html and "local areas unchanged: not drawn" in html
    refs = compare_refs(str(path), findings=False)
    assert refs.structures is not None and refs.structures[1].name == outcome.structure.name
    dated = compare_refs(str(path), as_of=[dt.date(2027, 1, 1), dt.date(2028, 10, 1)], findings=False)
    assert dated.structures is not None and "<svg" in dated._repr_html_()
