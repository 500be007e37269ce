"""Export a structure as JSON-LD in the W3C Organization Ontology (ORG) and Popolo terms.

Other tools read partnership structures in open vocabularies; this writes one
self-contained JSON-LD document (the ``@context`` holds only prefixes, so no
remote context is fetched) that any RDF library parses.

How the model maps
------------------
=============================  ===============================================================
restructure                    ORG / Popolo (and friends)
=============================  ===============================================================
body                           ``org:Organization``; ``skos:prefLabel`` name; ``org:classification``
                               its kind (a ``skos:Concept``); ``org:purpose`` its statutory duties;
                               ``org:identifier`` its GSS code; ``schema:foundingDate`` /
                               ``schema:dissolutionDate``
covers, discharges, serves     ``org:hasSite`` the area, and the precise ``rs:covers``,
                               ``rs:dischargesDutyFor``, ``rs:serves``
accountable_to                 ``org:reportsTo``; also ``org:subOrganizationOf`` when a partnership
                               answers to another partnership (district CSPs under a county one)
member_of                      ``org:Membership`` (``org:member``, ``org:organization``, ``org:role``,
                               ``org:memberDuring`` a ``time:Interval``; Popolo's ``schema:validFrom``
                               / ``schema:validThrough``)
Board seat for an area         ``org:Post`` (``org:postIn`` the board, ``popolo:area`` the area,
                               ``org:heldBy`` its holders); each holding is also an ``org:Membership``
                               of the board with ``rs:post``. Duty-holder seats (no area) are a Post
                               per holder.
area                           ``org:Site`` and ``popolo:Area``; ``skos:notation`` and ``owl:sameAs``
                               the ONS statistical-geography IRI for a GSS code; ``dcterms:isPartOf``
                               the areas it lies within
succeeded_by                   ``dcterms:isReplacedBy``
change event                   ``org:ChangeEvent``: ``org:originalOrganization`` /
                               ``org:resultingOrganization``, ``rs:originalArea`` / ``rs:resultingArea``,
                               ``dcterms:date``; bodies point to it with ``org:changedBy`` and
                               ``org:resultedFrom``
=============================  ===============================================================

Dates: a record's ``end`` is its first day no longer in force, so ``time:hasEnd``
is that day and ``schema:validThrough`` / ``schema:dissolutionDate`` the day
before (the last day in force), as Popolo's end dates are.

Identifiers are URNs (``urn:restructure:body:cherwell-csp``): the register has no
web home; map them to your own base when publishing.

Examples
--------
>>> from restructure.baseline import load_baseline
>>> doc = to_jsonld(load_baseline())
>>> sorted(doc["@context"])[:3]
['dcterms', 'org', 'owl']
>>> next(n for n in doc["@graph"] if n["@id"] == "urn:restructure:body:safer-oxfordshire")["@type"]
'org:Organization'
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from ..model import PARTNERSHIP_KINDS, Area, Body, RelationKind
from ..structure import Structure

__all__ = ["CONTEXT", "BASE", "to_jsonld", "dumps_jsonld", "iri"]

R = RelationKind
BASE = "urn:restructure:"
"""The base of every identifier this exporter makes."""

CONTEXT: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "popolo": "http://www.popoloproject.com/ontology#",
    "prov": "http://www.w3.org/ns/prov#",
    "rs": BASE + "vocab:",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefixes only: the document needs no remote context."""

_GSS_IRI = "http://statistics.data.gov.uk/id/statistical-geography/"
_DAY = dt.timedelta(days=1)
_FOOTPRINT = {R.covers: "rs:covers", R.discharges: "rs:dischargesDutyFor", R.serves: "rs:serves"}


def iri(kind: str, *parts: str) -> str:
    """The identifier of a record: ``urn:restructure:<kind>:<part>:<part>``.

    Examples
    --------
    >>> iri("body", "cherwell-csp")
    'urn:restructure:body:cherwell-csp'
    """
    return BASE + kind + ":" + ":".join(quote(p, safe="-._~") for p in parts)


def _ref(kind: str, *parts: str) -> dict[str, str]:
    return {"@id": iri(kind, *parts)}


def _date(d: dt.date) -> dict[str, str]:
    return {"@value": d.isoformat(), "@type": "xsd:date"}


def _instant(d: dt.date) -> dict[str, Any]:
    return {"@type": "time:Instant", "time:inXSDDate": _date(d)}


def _dated(node: dict, rec, start_key: str, end_key: str) -> None:
    if rec.start is not None:
        node[start_key] = _date(rec.start)
    if rec.end is not None:
        node[end_key] = _date(rec.end - _DAY)


def _interval(rec) -> dict[str, Any] | None:
    if rec.start is None and rec.end is None:
        return None
    out: dict[str, Any] = {"@type": "time:Interval"}
    if rec.start is not None:
        out["time:hasBeginning"] = _instant(rec.start)
    if rec.end is not None:
        out["time:hasEnd"] = _instant(rec.end)
    return out


def _concept(concepts: dict[str, dict], scheme: str, value: str, label: str | None = None) -> dict[str, str]:
    node_id = iri(scheme, value)
    concepts.setdefault(node_id, {
        "@id": node_id,
        "@type": "skos:Concept",
        "skos:prefLabel": label or value.replace("_", " "),
        "skos:inScheme": {"@id": iri("scheme", scheme)},
    })
    return {"@id": node_id}


def _add(node: dict, key: str, value) -> None:
    node.setdefault(key, []).append(value)


def to_jsonld(structure: Structure) -> dict[str, Any]:
    """The structure as a JSON-LD document (plain data, deterministic order).

    Parameters
    ----------
    structure : Structure
        Any structure; every record is exported with its dates (use
        :meth:`Structure.as_of` first for one day).

    Returns
    -------
    dict
        ``{"@context": ..., "@graph": [...]}``, nodes sorted by ``@id``.
    """
    s = structure
    concepts: dict[str, dict] = {}
    nodes: dict[str, dict] = {}
    for body in s.bodies():
        node: dict[str, Any] = {
            "@id": iri("body", body.id),
            "@type": "org:Organization",
            "skos:prefLabel": body.name,
            "org:classification": _concept(concepts, "kind", body.kind.value),
        }
        if body.tier is not None:
            node["rs:tier"] = _concept(concepts, "tier", body.tier.value)
        for duty in sorted(d.value for d in body.duties):
            _add(node, "org:purpose", _concept(concepts, "duty", duty))
        if body.gss:
            node["org:identifier"] = body.gss
        _dated(node, body, "schema:foundingDate", "schema:dissolutionDate")
        if body.note:
            node["skos:note"] = body.note
        for src in body.sources:
            _add(node, "dcterms:source", src)
        nodes[node["@id"]] = node
    for area in s.areas():
        node = {
            "@id": iri("area", area.id),
            "@type": ["org:Site", "popolo:Area"],
            "skos:prefLabel": area.name,
            "dcterms:type": _concept(concepts, "area-kind", area.kind.value),
        }
        code = area.gss or area.id
        if _is_gss(code):
            node["skos:notation"] = code
            node["owl:sameAs"] = {"@id": _GSS_IRI + code}
        _dated(node, area, "schema:validFrom", "schema:validThrough")
        if area.note:
            node["skos:note"] = area.note
        nodes[node["@id"]] = node

    def node_of(id_: str) -> dict:
        return nodes[iri("body" if isinstance(s.get(id_), Body) else "area", id_)]

    posts: dict[str, dict] = {}
    for rel in sorted(s.relations(), key=lambda r: r.key):
        if rel.kind in _FOOTPRINT:
            _add(node_of(rel.source), _FOOTPRINT[rel.kind], _ref("area", rel.target))
            site = _ref("area", rel.target)
            if site not in node_of(rel.source).get("org:hasSite", []):
                _add(node_of(rel.source), "org:hasSite", site)
        elif rel.kind == R.within:
            _add(node_of(rel.source), "dcterms:isPartOf", _ref("area", rel.target))
        elif rel.kind == R.accountable_to:
            src = node_of(rel.source)
            _add(src, "org:reportsTo", _ref("body", rel.target))
            if s.body(rel.source).kind in PARTNERSHIP_KINDS and s.body(rel.target).kind in PARTNERSHIP_KINDS:
                _add(src, "org:subOrganizationOf", _ref("body", rel.target))
        elif rel.kind == R.succeeded_by:
            kind = "body" if isinstance(s.get(rel.target), Body) else "area"
            _add(node_of(rel.source), "dcterms:isReplacedBy", _ref(kind, rel.target))
        elif rel.kind == R.member_of:
            start = rel.start.isoformat() if rel.start else ""
            m = {
                "@id": iri("membership", rel.source, rel.target, start),
                "@type": "org:Membership",
                "org:member": _ref("body", rel.source),
                "org:organization": _ref("body", rel.target),
            }
            if rel.role:
                m["org:role"] = _concept(concepts, "role", rel.role)
            _membership_dates(m, rel)
            nodes[m["@id"]] = m
        elif rel.kind == R.seat:
            post_id = iri("post", rel.target, rel.area) if rel.area else iri("post", rel.target, "holder", rel.source)
            post = posts.get(post_id)
            if post is None:
                board = s.body(rel.target).name
                label = f"{board} seat for {s.get(rel.area).name}" if rel.area else f"{board} seat of {s.body(rel.source).name}"
                post = posts[post_id] = {
                    "@id": post_id,
                    "@type": "org:Post",
                    "skos:prefLabel": label,
                    "org:postIn": _ref("body", rel.target),
                }
                if rel.area:
                    post["popolo:area"] = _ref("area", rel.area)
                    post["org:hasSite"] = _ref("area", rel.area)
                if rel.role:
                    post["org:role"] = _concept(concepts, "role", rel.role)
            holder = _ref("body", rel.source)
            if holder not in post.get("org:heldBy", []):
                _add(post, "org:heldBy", holder)
                _add(node_of(rel.source), "org:holds", {"@id": post_id})
            start = rel.start.isoformat() if rel.start else ""
            m = {
                "@id": iri("seat", rel.target, rel.area or "", rel.source, start),
                "@type": "org:Membership",
                "org:member": holder,
                "org:organization": _ref("body", rel.target),
                "rs:post": {"@id": post_id},
            }
            if rel.role:
                m["org:role"] = _concept(concepts, "role", rel.role)
            _membership_dates(m, rel)
            nodes[m["@id"]] = m
    nodes.update(posts)
    for ev in s.events.values():
        node = {
            "@id": iri("event", ev.id),
            "@type": "org:ChangeEvent",
            "dcterms:date": _date(ev.date),
            "dcterms:type": _concept(concepts, "change", ev.kind),
        }
        if ev.description:
            node["dcterms:description"] = ev.description
        links = defaultdict(list)
        for key, ids, back in (
            ("original", ev.predecessors, "org:changedBy"),
            ("resulting", ev.successors, "org:resultedFrom"),
        ):
            for id_ in ids:
                rec = s.get(id_)
                if isinstance(rec, Body):
                    links[f"org:{key}Organization"].append(_ref("body", id_))
                    _add(node_of(id_), back, {"@id": node["@id"]})
                elif isinstance(rec, Area):
                    links[f"rs:{key}Area"].append(_ref("area", id_))
        for area in ev.areas:
            if isinstance(s.get(area), Area):
                links["prov:atLocation"].append(_ref("area", area))
        node.update(links)
        nodes[node["@id"]] = node
    nodes.update(concepts)
    return {"@context": dict(CONTEXT), "@graph": [nodes[k] for k in sorted(nodes)]}


def _membership_dates(m: dict, rel) -> None:
    interval = _interval(rel)
    if interval is not None:
        m["org:memberDuring"] = interval
    _dated(m, rel, "schema:validFrom", "schema:validThrough")


def _is_gss(code: str) -> bool:
    return len(code) == 9 and code[0] in "EWSN" and code[1:].isdigit()


def dumps_jsonld(structure: Structure) -> str:
    """The JSON-LD document as text: UTF-8, two-space indents, the same bytes for the same structure."""
    import json

    return json.dumps(to_jsonld(structure), indent=2, ensure_ascii=False) + "\n"
