"""Tests of restructure.render: views, deterministic DOT, SVG, escaping, missing Graphviz, change diagrams.

Golden files live in tests/golden/. After an intended change to the diagrams,
regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/test_render.py

and look at the diff (and at the pictures) before committing.
"""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restructure.errors import RenderError
from restructure.model import Area, Body, Relation
from restructure.render import change_dot, format_of, render, render_dot, render_svg, to_dot
from restructure.render.change import changes, describe
from restructure.render.views import focus_on, homes, sides
from restructure.structure import Structure
from restructure.text import forbidden
from test_render_fixtures import AFTER_ON, ON, merged, small, with_names

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SVG = "{http://www.w3.org/2000/svg}"
NASTY = ["<script>alert(1)</script>", 'O\'Brien & "Sons" — Ōxford', "back\\slash \\"]


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def node_texts(svg: str) -> list[str]:
    """The text of each node of an SVG, its lines joined by spaces."""
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            out.append(" ".join(t.text or "" for t in g.iter(f"{SVG}text")))
    return out


# -- golden DOT ------------------------------------------------------------------------


def test_golden_small_hierarchy():
    golden("small-hierarchy.dot", to_dot(small(), on=ON))


def test_golden_small_views():
    s = small()
    golden("small-coverage.dot", to_dot(s, view="coverage", on=ON))
    golden("small-membership.dot", to_dot(s, view="membership", on=ON))


def test_golden_small_change():
    golden("small-change.dot", change_dot(small(), merged(), on=AFTER_ON, before_on=ON))
    golden("small-change-whole.dot", change_dot(small(), merged(), on=AFTER_ON, before_on=ON, focus="all"))


def test_golden_baseline(baseline):
    golden("baseline-hierarchy.dot", to_dot(baseline, on=ON))


def test_golden_scenario_change():
    from restructure.apply import run_scenario

    outcome = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    dot = change_dot(outcome.base, outcome.structure, on=dt.date(2028, 10, 1), before_on=ON)
    golden("two-unitaries-change.dot", dot)
    wards = run_scenario(SCENARIOS / "oxfordshire" / "ridgeway-reading-wards.yaml")
    golden("ridgeway-reading-wards-change.dot",
           change_dot(wards.base, wards.structure, on=dt.date(2028, 10, 1), before_on=ON))


def test_same_input_same_bytes(baseline):
    first = to_dot(baseline, on=ON)
    again = to_dot(Structure.from_yaml(baseline.to_yaml()), on=ON)
    assert first == again


def _shuffled(order: list[int]) -> Structure:
    """The small structure with its records added in another order."""
    s = small()
    records = [*s.areas(), *s.bodies()]
    rels = list(s.relations())
    out = Structure(s.name)
    for i in order:
        if i < len(records):
            out.add(records[i])
    for r in records:
        if r.id not in out:
            out.add(r)
    for r in sorted(rels, key=lambda r: order.index(len(r.key[1]) % len(order)) if order else 0):
        out.add(r)
    return out


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(14))))
def test_dot_does_not_depend_on_insertion_order(order):
    assert to_dot(_shuffled(order), on=ON) == to_dot(small(), on=ON)


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(range(14))))
def test_focused_change_dot_does_not_depend_on_insertion_order(order):
    expected = change_dot(small(), merged(), on=AFTER_ON, before_on=ON)
    assert change_dot(_shuffled(order), merged(), on=AFTER_ON, before_on=ON) == expected


# -- what is drawn -----------------------------------------------------------------------


def test_hierarchy_draws_tiers_clusters_seats_and_accountability():
    dot = to_dot(small(), on=ON)
    assert 'rankdir=LR' in dot
    assert "subgraph cluster_" in dot and "<B>Riverton</B>" in dot and "<B>Hillshire</B>" in dot
    # Seats and reporting lines have their own styles, distinct from membership. Local areas
    # sit left or right of the board; on the right an edge is written backwards (dir=back).
    assert ('"b/north-csp" -> "b/board" [arrowhead=normal color="#0072B2" penwidth=2.5 style=bold '
            'tooltip="seat for Hillshire"]') in dot
    assert ('"b/board" -> "b/riverton-csp" [arrowtail=normal color="#0072B2" dir=back penwidth=2.5 '
            'style=bold tooltip="seat for Riverton"]') in dot
    assert '"b/pcc" -> "b/board" [arrowtail=vee color="#D55E00" dir=back penwidth=1.6 style=dashed]' in dot
    assert "style=dotted" in dot  # membership
    assert "holds a seat on" in dot and "reports to" in dot and "member of" in dot  # the key


def test_dot_draws_the_date_given():
    s = small()
    late = Body(id="late-panel", name="Late Panel", kind="prevention_partnership", tier="operational",
                start=dt.date(2027, 1, 1))
    s.add(late)
    s.add(Relation(kind="serves", source="late-panel", target="U1", start=dt.date(2027, 1, 1)))
    assert "Late Panel" not in to_dot(s, on=ON)
    assert "Late Panel" in to_dot(s, on=dt.date(2027, 1, 1))
    assert "as of 2027-01-01" in to_dot(s, on=dt.date(2027, 1, 1))


def test_default_date_is_today():
    assert f"as of {dt.date.today().isoformat()}" in to_dot(small())


def test_homes_put_bodies_in_their_local_area():
    s = small()
    h = homes(s, [b.id for b in s.bodies()])
    assert h["riverton-csp"] == "U1"
    assert h["north-csp"] == "C1"  # a district CSP sits in its county's box
    assert h["hill-cc"] == "C1"
    assert h["police"] is None  # serves the whole police force area
    assert h["board"] is None


def test_sides_balance_heights():
    assert sides({"a": 3, "b": 1, "c": 1, "d": 1}) == {"a": "L", "b": "R", "c": "R", "d": "R"}
    assert sides({}) == {}


def test_coverage_view_groups_areas_and_shows_gaps():
    s = small()
    s.add(Area(id="U2", name="Lonely Town", kind="unitary"))
    s.add(Relation(kind="within", source="U2", target="PFA"))
    dot = to_dot(s, view="coverage", on=ON)
    assert "<B>North Hills CSP</B>" in dot
    assert '"a/D1" -> "b/north-csp" [arrowtail=none color="#009E73" dir=back' in dot  # left half: written backwards
    assert '"b/riverton-csp" -> "a/U1" [arrowhead=diamond' in dot  # Duty discharge
    assert "Not covered by any partnership" in dot and "NOT COVERED" in dot
    assert "Lonely Town" in dot


def test_membership_view_shows_roles_and_seats():
    dot = to_dot(small(), view="membership", on=ON)
    assert "membership view" in dot
    assert ('"s/C1":"p_hill-cc" -> "b/south-csp" [label="co-opted" arrowhead=odot color="#777777" '
            'penwidth=1.2 style=dotted tooltip="co-opted"]') in dot
    assert '"b/board" -> "b/police" [arrowtail=normal color="#0072B2" dir=back' in dot  # a duty-holder seat
    assert "reports to" not in dot and "Riverton Prevention Panel" not in dot  # no members, no seat: left out
    # every membership is drawn, even across local areas
    assert '"b/north-csp" -> "b/police" [arrowtail=odot' in dot


def test_focus_on_an_area_keeps_its_neighbourhood():
    s = small()
    f = focus_on(s.as_of(ON), "U1")
    assert f.bodies == {"riverton-csp", "riverton-council", "riverton-panel", "police", "board", "pcc"}
    dot = to_dot(s, focus="U1", on=ON)
    assert "Riverton CSP" in dot and "North Hills CSP" not in dot
    assert "around Riverton (U1)" in dot


def test_focus_on_a_body_keeps_its_relations():
    dot = to_dot(small(), focus="hill-cc", on=ON)
    assert "North Hills CSP" in dot and "South Hills CSP" in dot and "Strategy Board" in dot
    assert "Riverton CSP" not in dot


def test_focus_unknown_says_what_to_do():
    with pytest.raises(RenderError, match=r"^--focus 'U11' is not an area or body in force on that date\. "
                       r"Did you mean 'U1'\?$"):
        to_dot(small(), focus="U11", on=ON)


def test_unknown_view():
    with pytest.raises(RenderError, match=r"unknown view 'tree'\. Use one of: hierarchy, coverage, membership\."):
        to_dot(small(), view="tree", on=ON)


def test_format_from_extension():
    assert [format_of(f"x.{e}") for e in ("svg", "PNG", "pdf", "dot", "gv")] == ["svg", "png", "pdf", "dot", "dot"]
    with pytest.raises(RenderError, match=r"cannot tell the format of 'x\.jpg' from its extension\. "
                       r"End the file name in one of: \.svg, \.png, \.pdf, \.dot\."):
        format_of("x.jpg")


# -- SVG and other formats ----------------------------------------------------------------


def test_baseline_svg_parses_and_names_every_body(baseline):
    svg = render_svg(baseline, on=ON)
    texts = " | ".join(node_texts(svg))
    bodies = list(baseline.as_of(ON).bodies())
    assert len(bodies) > 40
    missing = [b.name for b in bodies if b.name not in texts]
    assert missing == []


@pytest.mark.parametrize("view", ["coverage", "membership"])
def test_other_views_render_as_svg(baseline, view):
    svg = render_svg(baseline, view=view, on=ON)
    texts = " | ".join(node_texts(svg))
    assert "Cherwell" in texts and "Reading" in texts


@pytest.mark.parametrize("ext,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"digraph")])
def test_render_writes_each_format(tmp_path, ext, magic):
    out = render(small(), tmp_path / "deep" / f"structure.{ext}", on=ON)
    assert out.read_bytes().startswith(magic)
    assert not list(out.parent.glob("*.tmp"))


def test_notebook_display_is_svg():
    svg = small()._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "Riverton CSP" in " ".join(node_texts(svg))


# -- escaping ---------------------------------------------------------------------------------


def test_names_are_escaped_in_dot():
    dot = to_dot(with_names(*NASTY), on=ON)
    assert "<script>" not in dot
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dot
    assert "O'Brien &amp; &quot;Sons&quot;" in dot and "Ōxford" in dot  # long names wrap


@pytest.mark.parametrize("view", ["hierarchy", "coverage", "membership"])
def test_names_survive_into_svg(view):
    s = with_names(*NASTY)
    svg = render_svg(s, view=view, on=ON)
    if view == "coverage":  # agencies are not drawn there; area names are
        assert "Riverton" in " ".join(node_texts(svg))
        return
    texts = " | ".join(node_texts(svg))
    for name in NASTY:
        assert name.strip() in texts
    assert b"<script" not in svg.encode()


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
       .filter(lambda x: x.strip() == x and "  " not in x and forbidden(x) is None))
def test_any_name_gives_valid_dot_and_svg(name):
    s = with_names(name)
    svg = render_svg(s, on=ON)
    texts = " | ".join(node_texts(svg))
    # Graphviz drops some invisible characters; every word of the name is drawn.
    for word in name.split():
        assert word in texts or not word.isprintable()


def test_focus_title_and_tooltips_escaped():
    s = small()
    s.replace(s.area("U1"), s.area("U1").model_copy(update={"name": "<b>Riv & \\ton</b>"}))
    dot = to_dot(s, focus="U1", on=ON)
    assert "<b>Riv" not in dot
    svg = render_dot(dot, "svg").decode()
    ET.fromstring(svg)
    assert "&lt;b&gt;Riv &amp; \\ton&lt;/b&gt;" in svg


# -- missing Graphviz ------------------------------------------------------------------------


def test_missing_dot_gives_one_line_and_dot_still_works(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(RenderError) as err:
        render(small(), tmp_path / "s.svg", on=ON)
    assert str(err.value) == "Graphviz's dot was not found. Install it: apt-get install graphviz."
    assert not (tmp_path / "s.svg").exists()
    out = render(small(), tmp_path / "s.dot", on=ON)
    assert out.read_text(encoding="utf-8") == to_dot(small(), on=ON)


# -- change diagrams ------------------------------------------------------------------------------


def test_changes_between_two_structures():
    ch = changes(small(), merged(), AFTER_ON, ON)
    assert ch.created == ["hill-csp"]
    assert ch.dissolved == ["north-csp", "south-csp"]
    assert ch.moved_areas == [("D1", ("north-csp",), ("hill-csp",)), ("D2", ("south-csp",), ("hill-csp",))]
    assert ch.seats_moved == [("C1", ("north-csp",), ("hill-csp",))]
    assert ch.lineage == [("north-csp", "hill-csp"), ("south-csp", "hill-csp")]
    assert describe(small(), merged(), ch) == [
        "New: Hillshire CSP (community safety partnership, local partnership).",
        "Dissolved: North Hills CSP, succeeded by Hillshire CSP.",
        "Dissolved: South Hills CSP, succeeded by Hillshire CSP.",
        "Area moved: North Hills from North Hills CSP to Hillshire CSP.",
        "Area moved: South Hills from South Hills CSP to Hillshire CSP.",
        "Board seat for Hillshire: from North Hills CSP to Hillshire CSP.",
    ]


def test_no_changes():
    ch = changes(small(), small(), ON, ON)
    assert not ch and describe(small(), small(), ch) == []


def test_change_diagram_marks_with_text_and_line_style_not_colour_alone():
    dot = change_dot(small(), merged(), on=AFTER_ON, before_on=ON)
    new = next(line for line in dot.splitlines() if line.strip().startswith('"b/hill-csp" ['))
    assert "+ NEW" in new and "style=\"filled,rounded,bold\"" in new and 'color="#009E73"' in new
    gone = next(line for line in dot.splitlines() if line.strip().startswith('"b/north-csp" ['))
    assert "× DISSOLVED 2028-04-01" in gone and "dashed" in gone and 'color="#D55E00"' in gone
    moved = next(line for line in dot.splitlines() if line.strip().startswith('"m/hill-csp" ['))
    assert 'PORT="p_D1"' in moved and 'PORT="p_D2"' in moved and "areas it now covers" in moved
    assert "⇄ MOVED" in moved and "was: North Hills CSP" in moved and 'BORDER="3"' in moved
    assert '"m/hill-csp" -> "b/hill-csp" [arrowhead=none color="#009E73" dir=back' in dot
    assert "⇄ SEAT MOVED: Hillshire (was North Hills CSP)" in dot
    lineage = [line for line in dot.splitlines() if '"b/north-csp" -> "b/hill-csp"' in line]
    assert lineage == [
        '\t"b/north-csp" -> "b/hill-csp" [arrowhead=empty arrowsize=0.6 color="#9A9A9A" constraint=false '
        'penwidth=0.8 style=solid tooltip="succeeded by"]'
    ]
    svg = render_dot(dot, "svg").decode()
    texts = " | ".join(node_texts(svg))
    assert "Hillshire CSP" in texts and "North Hills CSP" in texts


def test_new_local_areas_gain_seats_and_ended_areas_bodies_say_so():
    from restructure.apply import run_scenario

    o = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    dot = change_dot(o.base, o.structure, on=dt.date(2028, 10, 1), before_on=dt.date(2027, 5, 5),
                     after_label="Two unitaries")
    assert 'label="+ SEAT: Ridgeway (new local area)"' in dot
    assert 'label="+ SEAT: Oxford and Shires (new local area)"' in dot
    assert "SEAT MOVED: " not in dot and "was nobody" not in dot
    assert "label=<<B>Two unitaries</B>" in dot and "applied to Thames Valley baseline" in dot
    # The county council went with its county: the centre table says why it is there.
    centre = next(line for line in dot.splitlines() if line.strip().startswith('"s/~centre" ['))
    assert "serving several local areas (or one that ended)" in centre
    cc = centre[centre.index('PORT="p_oxfordshire-cc"'):]
    assert "× DISSOLVED" in cc[:400] and "served Oxfordshire (ended)" in cc[:600]


def test_before_scene_draws_the_change_diagrams_local_areas():
    from restructure.render.change import before_scene

    dot = before_scene(small(), merged(), AFTER_ON, ON).to_digraph().source
    assert "North Hills CSP" in dot and "Riverton CSP" not in dot and "Hillshire CSP" not in dot
    assert "1 local area unchanged: not drawn (Riverton)" in dot and "before the change" in dot
    whole = before_scene(small(), merged(), AFTER_ON, ON, focus="all").to_digraph().source
    assert "Riverton CSP" in whole and "not drawn" not in whole
    new_id = before_scene(small(), merged(), AFTER_ON, ON, focus="hill-csp").to_digraph().source
    assert "Riverton CSP" in new_id  # an id only the after side has: the whole before structure


def test_change_dates_default_to_after_end_state():
    dot = change_dot(small(), merged())
    assert f"changes from {min(dt.date.today(), AFTER_ON)}" in dot


# -- scale -------------------------------------------------------------------------------------------


def _national(forces: int = 40, per_force: int = 9, small_areas: int = 97) -> Structure:
    """A synthetic national structure: ~35,000 areas in `forces` police force areas."""
    s = Structure("national")
    for f in range(forces):
        pfa = f"PFA{f:02d}"
        s.add(Area(id=pfa, name=f"Force {f}", kind="police_force_area"))
        s.add(Body(id=f"police-{f}", name=f"Police {f}", kind="police_force"))
        s.add(Relation(kind="serves", source=f"police-{f}", target=pfa))
        s.add(Body(id=f"board-{f}", name=f"Board {f}", kind="strategy_board", tier="strategic"))
        s.add(Relation(kind="seat", source=f"police-{f}", target=f"board-{f}"))
        for u in range(per_force):
            uid = f"U{f:02d}{u}"
            s.add(Area(id=uid, name=f"Unitary {f}.{u}", kind="unitary"))
            s.add(Relation(kind="within", source=uid, target=pfa))
            s.add(Body(id=f"csp-{uid}", name=f"CSP {uid}", kind="community_safety_partnership", tier="local"))
            s.add(Relation(kind="covers", source=f"csp-{uid}", target=uid))
            s.add(Relation(kind="seat", source=f"csp-{uid}", target=f"board-{f}", area=uid))
            s.add(Relation(kind="member_of", source=f"police-{f}", target=f"csp-{uid}"))
            for k in range(small_areas):
                sid = f"L{uid}{k:03d}"
                s.add(Area(id=sid, name=f"Small area {sid}", kind="small_area"))
                s.add(Relation(kind="within", source=sid, target=uid))
    return s


def test_one_force_of_a_national_structure_draws_only_that_force():
    # No timing here (shared, noisy machines): `make bench` measures the focused render against
    # bare `dot` at one and four times the national structure.
    s = _national()
    assert sum(1 for _ in s.areas()) > 35_000
    dot = to_dot(s, focus="PFA07", on=ON)
    assert "CSP U070" in dot and "CSP U080" not in dot


def test_change_diagram_displays_as_svg_in_notebooks():
    from restructure.render import ChangeDiagram

    d = ChangeDiagram(small(), merged(), on=AFTER_ON, before_on=ON)
    assert d.to_dot() == change_dot(small(), merged(), on=AFTER_ON, before_on=ON)
    texts = " | ".join(node_texts(d._repr_svg_()))
    assert "Hillshire CSP" in texts and "DISSOLVED" in texts


def test_focus_must_be_in_force_on_the_date():
    s = merged()
    assert "North Hills CSP" in to_dot(s, focus="north-csp", on=ON)
    with pytest.raises(RenderError, match=r"^--focus 'north-csp' is not an area or body in force on that date\."):
        to_dot(s, focus="north-csp", on=AFTER_ON)


def test_focus_cut_keeps_local_area_boxes():
    # The cut keeps the areas above the focus's bodies, so the county box still frames its district CSP.
    dot = to_dot(small(), focus="north-csp", on=ON)
    assert "<B>Hillshire</B>" in dot and "subgraph cluster_" in dot


def test_a_part_moving_to_another_council_shows_as_moved():
    from restructure.model import ChangeEvent

    after = small()
    after.add(ChangeEvent(id="ev-split", date=AFTER_ON, kind="split_area", predecessors=("D1",),
                          successors=("P1",), areas=("D1", "P1")))
    after.add(Area(id="P1", name="Border wards", kind="part", start=AFTER_ON))
    after.add(Relation(kind="within", source="P1", target="U1", start=AFTER_ON))
    ch = changes(small(), after, AFTER_ON, ON)
    assert ch.moved_areas == [("P1", ("north-csp",), ("riverton-csp",))]
    dot = change_dot(small(), after, on=AFTER_ON, before_on=ON)
    line = next(x for x in dot.splitlines() if x.strip().startswith('"m/riverton-csp" ['))
    assert 'PORT="p_P1"' in line and "Border wards" in line and "⇄ MOVED" in line
    assert "was: North Hills CSP" in line


def test_same_bytes_whatever_the_hash_seed():
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from test_render_fixtures import AFTER_ON, ON, merged, small\n"
        "from restructure.render import change_dot, to_dot\n"
        "print(''.join(to_dot(small(), view=v, on=ON) for v in ('hierarchy', 'coverage', 'membership'))"
        " + change_dot(small(), merged(), on=AFTER_ON, before_on=ON))\n"
    )
    root = Path(__file__).resolve().parents[1]
    outs = {
        subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1 and "digraph change" in outs.pop()


# -- focused change diagrams ---------------------------------------------------------------------------


def _clusters(dot: str) -> list[str]:
    return sorted({line.split("cluster_", 1)[1].split()[0] for line in dot.splitlines() if "subgraph cluster_" in line})


def test_change_diagram_leaves_out_unchanged_local_areas():
    dot = change_dot(small(), merged(), on=AFTER_ON, before_on=ON)
    # Only Hillshire changes: Riverton's box and bodies are left out and named in the title.
    assert "1 local area unchanged: not drawn (Riverton)" in dot
    assert "Riverton CSP" not in dot and "Riverton Council" not in dot and "<B>Riverton</B>" not in dot
    assert "<B>Hillshire</B>" in dot and "Hillshire CSP" in dot and "North Hills CSP" in dot
    # The centre stays: the board, oversight and the force-wide police (now in the centre table).
    assert "Strategy Board" in dot and "Office of the PCC" in dot
    assert "serving several local areas" in dot and 'PORT="p_police"' in dot


def test_change_diagram_whole_draws_every_local_area():
    dot = change_dot(small(), merged(), on=AFTER_ON, before_on=ON, focus="all")
    assert "not drawn" not in dot and "Riverton CSP" in dot and "<B>Riverton</B>" in dot
    assert "serving several local areas" not in dot  # the whole diagram keeps the usual centre column


def test_change_diagram_focus_on_an_id():
    dot = change_dot(small(), merged(), on=AFTER_ON, before_on=ON, focus="U1")
    assert "around Riverton (U1)" in dot and "Riverton CSP" in dot and "Hillshire CSP" not in dot
    dot = change_dot(small(), merged(), on=AFTER_ON, before_on=ON, focus="north-csp")  # a dissolved body
    assert "× DISSOLVED 2028-04-01" in dot and "Hillshire County" in dot and "Riverton CSP" not in dot
    with pytest.raises(RenderError, match=r"^--focus 'nowhere' is not an area or body in force on that date\."):
        change_dot(small(), merged(), on=AFTER_ON, before_on=ON, focus="nowhere")


def test_change_diagram_without_local_change_draws_everything():
    after = small()
    after.add(Body(id="vru", name="Valley VRU", kind="other", start=AFTER_ON))
    after.add(Relation(kind="serves", source="vru", target="PFA", start=AFTER_ON))
    dot = change_dot(small(), after, on=AFTER_ON, before_on=ON)
    assert "not drawn" not in dot and "Riverton CSP" in dot and "Valley VRU" in dot and "+ NEW" in dot


def test_oxfordshire_change_diagrams_draw_only_the_changed_local_areas():
    from restructure.apply import run_scenario

    two = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    wards = run_scenario(SCENARIOS / "oxfordshire" / "ridgeway-reading-wards.yaml")
    two_dot = change_dot(two.base, two.structure, on=dt.date(2028, 10, 1), before_on=ON)
    wards_dot = change_dot(wards.base, wards.structure, on=dt.date(2028, 10, 1), before_on=ON)
    assert _clusters(two_dot) == ["0_oxford_and_shires", "1_ridgeway"]
    assert ("7 local areas unchanged: not drawn (Bracknell Forest, Buckinghamshire, Milton Keynes, Reading, "
            "Slough, Windsor<BR/>and Maidenhead, Wokingham)") in two_dot
    # The Tilehurst ward move brings Reading in, with the wards marked as moved.
    assert _clusters(wards_dot) == ["0_oxford_and_shires", "1_E06000038", "2_ridgeway"]
    assert wards_dot != two_dot and 'PORT="p_tilehurst-wards"' in wards_dot and "6 local areas unchanged" in wards_dot
    whole = change_dot(two.base, two.structure, on=dt.date(2028, 10, 1), before_on=ON, focus="all")
    assert len(_clusters(whole)) == 9 and "not drawn" not in whole


def a4_scale(svg: str) -> float:
    """The scale at which a diagram's natural size fits A4 landscape (297 x 210 mm = 842 x 595 pt)."""
    root = ET.fromstring(svg)
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    xs, ys = zip(*(map(float, p.split(",")) for p in graph.find(f"{SVG}polygon").get("points").split()),
                 strict=True)
    return min(842 / (max(xs) - min(xs)), 595 / (max(ys) - min(ys)))


@pytest.mark.parametrize("name,least", [("one-unitary", 0.6), ("two-unitaries", 0.58), ("csp-merge", 0.58),
                                        ("three-unitaries", 0.44)])
def test_focused_change_diagrams_print_larger_on_a4(name, least):
    from restructure.apply import run_scenario

    o = run_scenario(SCENARIOS / "oxfordshire" / f"{name}.yaml")
    on, before_on = o.dates[-1], o.dates[0] - dt.timedelta(days=1)
    focused = a4_scale(render_dot(change_dot(o.base, o.structure, on=on, before_on=before_on), "svg").decode())
    whole = a4_scale(render_dot(change_dot(o.base, o.structure, on=on, before_on=before_on, focus="all"),
                                "svg").decode())
    # Measured 25 Nov 2026 (whole -> focused): one unitary 0.45 -> 0.64, two 0.46 -> 0.61, CSP merger
    # 0.39 -> 0.60, three 0.37 -> 0.44 (three local areas still need both sides of the centre; the
    # "served Oxfordshire (ended)" line on the dissolved county council costs it 0.46 -> 0.44).
    assert focused >= least and focused > whole + 0.05, (focused, whole)


# -- parts in the coverage view ---------------------------------------------------------------------------


def test_coverage_view_draws_parts_that_moved_or_are_covered_apart():
    from restructure.apply import run_scenario

    wards = run_scenario(SCENARIOS / "oxfordshire" / "ridgeway-reading-wards.yaml")
    dot = to_dot(wards.structure, view="coverage", on=dt.date(2028, 10, 1))
    line = next(x for x in dot.splitlines() if x.strip().startswith('"a/tilehurst-wards" ['))
    assert "part of Reading, from West<BR/>Berkshire" in line
    assert '"a/tilehurst-wards" -> "b/reading-csp" [arrowtail=none color="#009E73" dir=back' in dot
    assert '"a/west-berkshire-rest"' not in dot  # still with its parent, under its parent's CSP: not drawn
    two = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    assert "tilehurst" not in to_dot(two.structure, view="coverage", on=dt.date(2028, 10, 1))


def test_a_part_under_another_csp_than_its_area_is_drawn():
    s = small()
    s.add(Area(id="P1", name="Border wards", kind="part"))
    s.add(Relation(kind="within", source="P1", target="D1"))
    assert '"a/P1"' not in to_dot(s, view="coverage", on=ON)  # covered as its district is: nothing to show
    s.add(Body(id="border-csp", name="Border CSP", kind="community_safety_partnership", tier="local"))
    s.add(Relation(kind="covers", source="border-csp", target="P1"))
    dot = to_dot(s, view="coverage", on=ON)
    assert "part of North Hills" in dot and "<B>Border CSP</B>" in dot
