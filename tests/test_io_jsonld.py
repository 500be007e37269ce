"""JSON-LD export in W3C ORG and Popolo terms, read back with rdflib and asked in SPARQL (io/jsonld.py)."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings

from restructure.io.jsonld import dumps_jsonld, to_jsonld
from test_structure import structures

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib

ON = dt.date(2026, 11, 25)
PREFIXES = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX popolo: <http://www.popoloproject.com/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rs: <urn:restructure:vocab:>
"""


def graph(structure) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=dumps_jsonld(structure), format="json-ld")
    return g


def ask(g, query):
    return sorted(tuple(str(x) for x in row) for row in g.query(PREFIXES + query))


@pytest.fixture(scope="module")
def today(_baseline_session):
    return graph(_baseline_session.as_of(ON))


@pytest.fixture(scope="module")
def history(_baseline_session):
    return graph(_baseline_session)


def test_the_nine_seats_on_the_strategy_board(today, _baseline_session):
    rows = ask(today, """
        SELECT ?code ?holder WHERE {
            ?board skos:prefLabel "VPP Strategy Board" .
            ?post a org:Post ; org:postIn ?board ; popolo:area ?area ; org:heldBy ?h .
            ?area skos:notation ?code . ?h skos:prefLabel ?holder .
        }""")
    expected = sorted(
        (r.area, _baseline_session.body(r.source).name)
        for r in _baseline_session.seats("tv-vpp-board", ON) if r.area
    )
    assert len(rows) == 9 and rows == expected
    assert ("E10000025", "Safer Oxfordshire Partnership") in rows


def test_nine_area_posts_over_all_dates_with_dated_holdings(history):
    (count,) = ask(history, """
        SELECT (COUNT(DISTINCT ?post) AS ?n) WHERE {
            ?post a org:Post ; org:postIn <urn:restructure:body:tv-vpp-board> ; popolo:area ?area }""")
    assert count == ("9",)
    # Milton Keynes' seat: Safer MK until 31 March 2025, MK Together from 1 April 2025
    rows = ask(history, """
        SELECT ?holder ?from ?through WHERE {
            ?m a org:Membership ; rs:post <urn:restructure:post:tv-vpp-board:E06000042> ; org:member ?b .
            ?b skos:prefLabel ?holder .
            OPTIONAL { ?m schema:validFrom ?from } OPTIONAL { ?m schema:validThrough ?through } }""")
    assert rows == [("MK Together Safeguarding Partnership", "2025-04-01", "None"), ("Safer MK", "None", "2025-03-31")]


def test_the_members_of_the_safer_oxfordshire_partnership(today, _baseline_session):
    rows = ask(today, """
        SELECT ?name ?role WHERE {
            ?m a org:Membership ; org:organization ?p ; org:member ?b ; org:role ?r .
            ?p skos:prefLabel "Safer Oxfordshire Partnership" .
            ?b skos:prefLabel ?name . ?r skos:prefLabel ?role . }""")
    expected = sorted((b.name, role) for b, role in _baseline_session.members("safer-oxfordshire", ON))
    assert rows == expected and len(rows) >= 10
    assert ("Thames Valley Police", "statutory") in rows


def test_organisations_areas_and_change_events(history):
    assert ask(history, """
        SELECT ?kind WHERE { <urn:restructure:body:cherwell-csp> a org:Organization ; org:classification ?c .
                             ?c skos:prefLabel ?kind }""") == [("community safety partnership",)]
    assert ask(history, """
        SELECT ?same ?parent WHERE { <urn:restructure:area:E07000177> a org:Site, popolo:Area ; owl:sameAs ?same ;
                                     dcterms:isPartOf ?parent }""") == [
        ("http://statistics.data.gov.uk/id/statistical-geography/E07000177", "urn:restructure:area:E10000025")
    ]
    assert ask(history, """
        SELECT ?parent WHERE { <urn:restructure:body:cherwell-csp> org:subOrganizationOf ?parent }""") == [
        ("urn:restructure:body:safer-oxfordshire",)
    ]
    # one event, three ICBs into two; the precise lineage is dcterms:isReplacedBy
    rows = ask(history, """
        SELECT ?date ?from WHERE { ?e a org:ChangeEvent ; dcterms:date ?date ;
            org:originalOrganization ?o ; org:resultingOrganization <urn:restructure:body:thames-valley-icb> .
            ?o skos:prefLabel ?from . }""")
    assert {r[0] for r in rows} == {"2026-04-01"} and len(rows) == 3
    assert ask(history, """
        SELECT ?from WHERE { ?o dcterms:isReplacedBy <urn:restructure:body:thames-valley-icb> ; skos:prefLabel ?from }""") == [
        ("NHS Buckinghamshire, Oxfordshire and Berkshire West ICB",), ("NHS Frimley ICB",)
    ]
    assert ask(history, """
        SELECT ?e WHERE { <urn:restructure:body:bob-icb> org:changedBy ?e }""") == [
        ("urn:restructure:event:2026-04-01-icb-changes",)
    ]


def test_the_same_structure_gives_the_same_bytes(_baseline_session):
    assert dumps_jsonld(_baseline_session) == dumps_jsonld(_baseline_session.copy())
    doc = to_jsonld(_baseline_session)
    ids = [n["@id"] for n in doc["@graph"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert json.loads(dumps_jsonld(_baseline_session)) == doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structures())
def test_any_structure_exports_to_rdf_that_keeps_every_record(s):
    """Every body is an org:Organization, every area an org:Site, every membership an org:Membership."""
    g = graph(s)
    orgs = {str(r[0]) for r in g.query(PREFIXES + "SELECT ?o WHERE { ?o a org:Organization }")}
    sites = {str(r[0]) for r in g.query(PREFIXES + "SELECT ?a WHERE { ?a a org:Site, popolo:Area }")}
    assert orgs == {f"urn:restructure:body:{quote(b.id, safe='-._~')}" for b in s.bodies()}
    assert sites == {f"urn:restructure:area:{quote(a.id, safe='-._~')}" for a in s.areas()}
    (n,) = g.query(PREFIXES + "SELECT (COUNT(?m) AS ?n) WHERE { ?m a org:Membership ; rs:post ?p }")
    assert int(n[0]) == sum(1 for _ in s.relations("seat"))
