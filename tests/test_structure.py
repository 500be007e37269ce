"""Structure: round-trips through YAML and JSON, and one-line messages for each file mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restructure.errors import ValidationFailed
from restructure.model import (
    Area,
    AreaKind,
    Body,
    BodyKind,
    ChangeEvent,
    Duty,
    Relation,
    RelationKind,
    Strategy,
    Tier,
)
from restructure.structure import Structure

__all__: list[str] = []

R = RelationKind

# -- random small structures ----------------------------------------------------------

# Free text a planner might type or paste: letters, digits, punctuation YAML cares about
# (quotes, colons, hashes, brackets), spaces and line breaks.
TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "P", "S", "Zs"), whitelist_characters="\n"
    ),
    max_size=20,
)
# A name is the same on one line: control characters are refused at load (restructure.text).
NAME = TEXT.map(lambda t: t.replace("\n", " "))
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
SOURCES = st.lists(TEXT, max_size=2).map(tuple)


@st.composite
def spans(draw):
    """An optional start and an optional end after it."""
    start = draw(st.none() | DATES)
    end = draw(st.none() | DATES)
    if start is not None and end is not None:
        start, end = min(start, end), max(end, start + dt.timedelta(days=1))
    return start, end


@st.composite
def dated(draw):
    start, end = draw(spans())
    return {
        "start": start,
        "end": end,
        "sources": draw(SOURCES),
        "note": draw(st.none() | TEXT),
    }


@st.composite
def structures(draw):
    s = Structure(draw(NAME), draw(st.none() | TEXT), draw(SOURCES))
    n_events = draw(st.integers(0, 2))
    events = [f"ev-{i}" for i in range(n_events)]
    for ev in events:
        s.add(
            ChangeEvent(
                id=ev,
                date=draw(DATES),
                kind=draw(st.sampled_from(["merge", "dissolve", "rename"])),
                predecessors=tuple(draw(st.lists(st.sampled_from(["a", "b"]), max_size=2))),
                description=draw(st.none() | TEXT),
                old_values=draw(st.dictionaries(st.sampled_from(["name", "gss"]), TEXT, max_size=2)),
                sources=draw(SOURCES),
            )
        )
    areas = [f"E0{i}" for i in range(draw(st.integers(1, 4)))]
    for a in areas:
        s.add(Area(id=a, name=draw(NAME), kind=draw(st.sampled_from(list(AreaKind))), **draw(dated())))
    bodies = [f"body-{i}" for i in range(draw(st.integers(1, 4)))]
    for b in bodies:
        s.add(
            Body(
                id=b,
                name=draw(NAME),
                kind=draw(st.sampled_from(list(BodyKind))),
                tier=draw(st.none() | st.sampled_from(list(Tier))),
                gss=draw(st.none() | st.sampled_from(["E22000305", "E06000038"])),
                duties=frozenset(draw(st.lists(st.sampled_from(list(Duty)), max_size=3))),
                strategies=tuple(
                    Strategy(title=draw(NAME), start=draw(st.none() | DATES), source=draw(st.none() | TEXT))
                    for _ in range(draw(st.integers(0, 1)))
                ),
                attributes=draw(st.dictionaries(st.sampled_from(["meets", "chair", "count"]), TEXT, max_size=2)),
                **draw(dated()),
            )
        )
    # Parents: an area may lie within an earlier one (no cycles), undated (the `parent:`
    # shorthand) or dated (a re-parenting).
    for i, a in enumerate(areas[1:], start=1):
        if draw(st.booleans()):
            fields = draw(dated()) if draw(st.booleans()) else {}
            if events and draw(st.booleans()):
                fields["event"] = draw(st.sampled_from(events))  # e.g. a re-parenting's change
            s.add(Relation(kind=R.within, source=a, target=areas[draw(st.integers(0, i - 1))], **fields))
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from([k for k in RelationKind if k is not R.within]))
        if kind in (R.covers, R.discharges, R.serves):
            source, target = draw(st.sampled_from(bodies)), draw(st.sampled_from(areas))
        elif kind is R.accountable_to:
            # Only "downwards" links, so accountability never cycles.
            i = draw(st.integers(1, len(bodies))) if len(bodies) > 1 else None
            if i is None or i >= len(bodies):
                continue
            source, target = bodies[i], bodies[draw(st.integers(0, i - 1))]
        elif kind is R.succeeded_by:
            # Only "forwards" links (an earlier record to a later one), so lineage never cycles.
            pool = areas if draw(st.booleans()) else bodies
            if len(pool) < 2:
                continue
            j = draw(st.integers(1, len(pool) - 1))
            source, target = pool[draw(st.integers(0, j - 1))], pool[j]
        else:
            source, target = draw(st.sampled_from(bodies)), draw(st.sampled_from(bodies))
        rel = Relation(
            kind=kind,
            source=source,
            target=target,
            area=draw(st.none() | st.sampled_from(areas)),
            role=draw(st.none() | st.sampled_from(["statutory", "co-opted", "representative"])),
            event=draw(st.none() | st.sampled_from(events)) if events else None,
            **draw(dated()),
        )
        if not any(r.key == rel.key for r in s.relations()):
            s.add(rel)
    return s


def _records(s: Structure) -> list[str]:
    """Every record as JSON, sorted: compares what a structure holds, not how it is written."""
    return sorted(f"{type(r).__name__} {r.model_dump_json()}" for r in s.records())


ROUND_TRIP = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(structures())
def test_yaml_round_trip_is_identity(s):
    text = s.to_yaml()
    back = Structure.from_yaml(text)
    assert back == s
    assert _records(back) == _records(s)
    assert back.to_yaml() == text


@ROUND_TRIP
@given(structures())
def test_json_round_trip_is_identity(s):
    text = s.to_json()
    back = Structure.from_json(text)
    assert back == s
    assert _records(back) == _records(s)
    assert back.to_json() == text


def test_plain_parent_is_written_as_shorthand():
    s = Structure("tiny")
    s.add(Area(id="E10000025", name="Oxfordshire", kind="county"))
    s.add(Area(id="E07000177", name="Cherwell", kind="district"))
    s.add(Relation(kind="within", source="E07000177", target="E10000025"))
    text = s.to_yaml()
    assert "- {id: E07000177, kind: district, name: Cherwell, parent: E10000025}" in text
    assert "relations: []" in text


def test_dates_are_written_unquoted():
    s = Structure("tiny")
    s.add(Area(id="E06000060", name="Buckinghamshire", kind="unitary", start=dt.date(2020, 4, 1)))
    assert "start: 2020-04-01" in s.to_yaml()


# -- one-line messages for file mistakes ------------------------------------------------

GOOD = """\
name: tiny
areas:
- {id: E10000025, name: Oxfordshire, kind: county}
- {id: E07000177, name: Cherwell, kind: district, parent: E10000025}
bodies:
- id: cherwell-csp
  name: Cherwell Safer Communities Partnership
  kind: community_safety_partnership
- id: safer-oxfordshire
  name: Safer Oxfordshire Partnership
  kind: county_partnership
relations:
- {kind: covers, source: cherwell-csp, target: E07000177}
- {kind: accountable_to, source: cherwell-csp, target: safer-oxfordshire}
"""

HINT = "Fix the file and run `restructure validate` again."


def _error(text: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        Structure.from_yaml(text, file="tv.yaml")
    return info.value


def test_good_file_loads():
    s = Structure.from_yaml(GOOD, file="tv.yaml")
    assert [b.id for b in s.covering("E07000177")] == ["cherwell-csp"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            GOOD.replace("- id: safer-oxfordshire", "- id: cherwell-csp"),
            9,
            "tv.yaml:9: duplicate id 'cherwell-csp'. Ids must be unique across areas and bodies.",
            id="duplicate-id",
        ),
        pytest.param(
            GOOD.replace("target: E07000177}", "target: E07000178}"),
            13,
            "tv.yaml:13: unknown area 'E07000178' in covers relation. Did you mean 'E07000177'?",
            id="unknown-area-in-relation",
        ),
        pytest.param(
            GOOD.replace("parent: E10000025", "parent: E10000052"),
            4,
            "tv.yaml:4: unknown area 'E10000052'. Did you mean 'E10000025'?",
            id="unknown-parent",
        ),
        pytest.param(
            GOOD + "- {kind: covers, source: cherwell-csp, target: E07000177, start: 2021-06-01, end: 2021-01-01}\n",
            15,
            "tv.yaml:15: end 2021-01-01 is not after start 2021-06-01. " + HINT,
            id="dates-out-of-order",
        ),
        pytest.param(
            GOOD.replace("  kind: county_partnership", "  kind: county_partnership\n  chair: someone"),
            12,
            "tv.yaml:12: unknown field 'chair'. " + HINT,
            id="unknown-field",
        ),
        pytest.param(
            GOOD.replace("relations:\n", "relations:\n  covers: cherwell-csp\n").replace("- {kind", "# {kind"),
            12,
            "tv.yaml:12: 'relations' must be a list. " + HINT,
            id="wrong-section-type",
        ),
        pytest.param(
            GOOD + "events: []\nphases: []\n",
            16,
            "tv.yaml:16: unknown section 'phases'. Use one of: areas, bodies, description, events, name, "
            "relations, sources.",
            id="unknown-section",
        ),
        pytest.param(
            GOOD.replace("- {id: E10000025, name: Oxfordshire, kind: county}", "- {id: E10000025, name: Oxfordshire"),
            4,
            "tv.yaml:4: not valid YAML (did not find expected ',' or '}'). " + HINT,
            id="invalid-yaml",
        ),
    ],
)
def test_file_mistakes_give_one_line_with_its_line_number(text, line, message):
    err = _error(text)
    assert err.line == line
    assert err.file == "tv.yaml"
    assert str(err) == message
    assert "\n" not in str(err)


def test_cycle_in_accountability_names_the_cycle_and_its_line():
    text = GOOD + "- {kind: accountable_to, source: safer-oxfordshire, target: cherwell-csp}\n"
    err = _error(text)
    assert str(err) == (
        "tv.yaml:15: cycle in accountability: cherwell-csp -> safer-oxfordshire -> cherwell-csp. "
        "Remove one link of the cycle."
    )
    assert err.ids == ("cherwell-csp", "safer-oxfordshire")


def test_cycle_in_geography():
    text = GOOD.replace(
        "- {id: E10000025, name: Oxfordshire, kind: county}",
        "- {id: E10000025, name: Oxfordshire, kind: county, parent: E07000177}",
    )
    err = _error(text)
    assert err.what == "cycle in geography (areas within each other): E10000025 -> E07000177 -> E10000025"
    assert err.line == 4  # the later of the two links


def test_not_a_mapping():
    err = _error("- just\n- a list\n")
    assert str(err) == (
        "tv.yaml:1: a structure file must be a mapping with areas, bodies and relations. " + HINT
    )


@pytest.mark.parametrize("name", ["Oxford 😀", "Ynys Môn", "Ceredigion\u200f"])
def test_json_keeps_characters_yaml_would_fold_or_reject(name):
    s = Structure("tiny")
    s.add(Area(id="E07000178", name=name, kind="district"))
    assert Structure.from_json(s.to_json()).area("E07000178").name == name
    assert Structure.from_yaml(s.to_yaml()).area("E07000178").name == name


def test_invalid_json_gives_its_line():
    err = _error_json('{\n  "name": "tiny",\n  "areas": [\n}\n')
    assert str(err) == "tv.json:4: not valid JSON (Expecting value). " + HINT


def test_json_mistake_is_located_like_yaml():
    s = Structure.from_yaml(GOOD)
    text = s.to_json().replace('"kind": "county_partnership"', '"kind": "county_partnership", "chair": "x"')
    err = _error_json(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"chair": "x"' in row)
    assert str(err) == f"tv.json:{line}: unknown field 'chair'. " + HINT


def _error_json(text: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        Structure.from_json(text, file="tv.json")
    return info.value


def test_lineage_cycle_is_refused_at_load_with_its_line():
    text = (
        "name: t\nbodies:\n  - {id: a, name: A, kind: other}\n  - {id: b, name: B, kind: other}\n"
        "relations:\n  - {kind: succeeded_by, source: a, target: b}\n  - {kind: succeeded_by, source: b, target: a}\n"
    )
    with pytest.raises(ValidationFailed) as info:
        Structure.from_yaml(text, file="tv.yaml")
    assert str(info.value) == "tv.yaml:7: cycle in lineage (succeeded_by): a -> b -> a. Remove one link of the cycle."
