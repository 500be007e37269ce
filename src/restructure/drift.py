"""Drift: where the register disagrees with the public lookups (ONS and mySociety).

A curated register (the Thames Valley baseline) says more than ONS does:
partnerships, parts of districts below council level, Board seats. A raw
``diff`` against an import of an ONS lookup is therefore mostly noise. Drift
compares only **what both know**, on one date:

- the **units** in force (districts and unitaries, by GSS code): their name,
  their kind (an ``E07`` code is a district; ``E06``/``W06``, ``E08`` and
  ``E09`` single-tier, as :mod:`restructure.io.ons` models them), the
  **county** they lie in and their **police force area** (ONS LAD → CSP →
  PFA lookup, and the LAD → county lookup);
- the **counties** in force: name and police force area;
- the **councils** in force (bodies of a council kind with a ``gss``): kind,
  and name, against mySociety's councils table.

The comparison is limited to the police force areas the register holds: ONS
districts elsewhere are not drift. Partnerships, parts of districts and ONS
statistical (``E22``) areas are never compared.

Council names are compared on their place words: a council's style ("City",
"Borough", "District", "County", "Royal Borough of", "Council") changes with
status grants (Milton Keynes became a city in 2022) and the public tables lag
behind, so "Milton Keynes City Council" agrees with mySociety's "Milton Keynes
Council"; "North Oxfordshire Council" does not agree with "Cherwell District
Council". mySociety's end dates are not uniform (some give 31 March, some 1
April): a council is taken to be in force on its end date.

Examples
--------
>>> from restructure.baseline import load_baseline
>>> import datetime as dt
>>> found = drift(load_baseline(), on=dt.date(2026, 11, 25))
>>> found.disagreements, found.compared["units"], found.compared["councils"]
((), 13, 14)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import ImportFailed
from .io.ons import read_table
from .model import COUNCIL_KINDS, AreaKind, BodyKind
from .structure import Structure
from .text import markdown, terminal

__all__ = [
    "Disagreement",
    "Drift",
    "PublicData",
    "read_public",
    "drift",
    "render_text",
    "render_markdown",
    "render_csv",
    "render_json",
    "DEFAULT_ONS",
    "DEFAULT_COUNCILS",
    "DEFAULT_COUNTIES",
]

DEFAULT_ONS = "ons/LAD23_CSP23_PFA23_EW_LU.csv"
"""The bundled ONS lookup drift compares with by default (``restructure.data``)."""
DEFAULT_COUNCILS = "mysociety/uk_local_authorities_future.csv"
"""The bundled mySociety councils table."""
DEFAULT_COUNTIES = "ons/LAD21_CTY21_EN_LU.csv"
"""The bundled ONS district → county lookup."""

_UNIT_KIND = {"E06": "unitary", "W06": "unitary", "E07": "district", "E08": "unitary", "E09": "unitary"}
_COUNCIL_KIND = {
    "NMD": BodyKind.district_council,
    "CTY": BodyKind.county_council,
    **{t: BodyKind.unitary_council for t in ("UA", "MD", "LBO", "WPA", "CC", "SCO", "NID")},
}
_STYLE = {"city", "borough", "district", "county", "council", "royal", "metropolitan", "of", "the", "and"}
_GSS = re.compile(r"[EWSN]\d{8}")


@dataclass(frozen=True)
class Disagreement:
    """One thing the register and a public lookup say differently.

    Attributes
    ----------
    code : str
        The GSS code (or the register's id, for a record with none).
    name : str
        The record's name (the register's, else the public one).
    record : str
        ``unit``, ``county`` or ``council``.
    field : str
        ``name``, ``kind``, ``county``, ``police force area``, or ``presence`` (one side only).
    register, public : str
        What each side says, in words (``"none"`` when it has no such record).
    source : str
        ``ONS`` or ``mySociety``.
    message : str
        One sentence for a planner.
    """

    code: str
    name: str
    record: str
    field: str
    register: str
    public: str
    source: str
    message: str


@dataclass(frozen=True)
class Drift:
    """The disagreements between a register and the public lookups on one date."""

    structure: str
    on: dt.date
    sources: tuple[str, ...]
    compared: dict[str, int]
    disagreements: tuple[Disagreement, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (ISO date)."""
        return {
            "structure": self.structure,
            "on": self.on.isoformat(),
            "sources": list(self.sources),
            "compared": dict(self.compared),
            "disagreements": [asdict(d) for d in self.disagreements],
        }


@dataclass
class PublicData:
    """What the public lookups say: units, counties and councils, by GSS code."""

    ons_file: str
    councils_file: str
    counties_file: str
    units: dict[str, tuple[str, str]] = field(default_factory=dict)
    """LAD code → (name, police force area code)."""
    pfa_names: dict[str, str] = field(default_factory=dict)
    county_of: dict[str, str] = field(default_factory=dict)
    """District code → shire county code (``E10`` only: the counties with councils)."""
    county_names: dict[str, str] = field(default_factory=dict)
    councils: list[dict[str, str]] = field(default_factory=list)
    """mySociety rows: gss-code, official-name, nice-name, alt-names, local-authority-type, start-date, end-date."""


def _need(path, header: list[str], wanted: dict[str, str], what: str, option: str) -> dict[str, int]:
    """Find the columns drift needs; a file of the wrong kind is one error naming them."""
    found, missing = {}, []
    for label, pattern in wanted.items():
        hits = [i for i, h in enumerate(header) if re.fullmatch(pattern, h, re.IGNORECASE)]
        if hits:
            found[label] = hits[0]
        else:
            missing.append(label)
    if missing:
        raise ImportFailed(
            f"{path} is not {what}: drift needs the columns {', '.join(wanted)} "
            f"(missing {', '.join(missing)}; the file has {', '.join(header[:6])}{', ...' if len(header) > 6 else ''})",
            f"Give {what} with {option}",
        )
    return found


def read_public(ons: str | Path, councils: str | Path, counties: str | Path) -> PublicData:
    """Read the three public lookups drift compares with.

    Parameters
    ----------
    ons : path
        An ONS "LAD to CSP to PFA" lookup of any year (columns ``LADyyCD``,
        ``LADyyNM``, ``PFAyyCD``, ``PFAyyNM``).
    councils : path
        mySociety's ``uk_local_authorities_future.csv``.
    counties : path
        An ONS "LAD to county" lookup (``LADyyCD``, ``CTYyyCD``, ``CTYyyNM``).

    Raises
    ------
    ImportFailed
        A missing or unreadable file, or one of the wrong kind (naming the columns needed).
    """
    out = PublicData(str(ons), str(councils), str(counties))
    header, rows = read_table(ons)
    col = _need(
        ons, header,
        {"LADyyCD": r"LAD\d\dCD", "LADyyNM": r"LAD\d\dNM", "PFAyyCD": r"PFA\d\dCD", "PFAyyNM": r"PFA\d\dNM"},
        "an ONS 'LAD to CSP to PFA' lookup", "--ons",
    )
    for _, row in rows:
        cells = {k: row[i].strip() if i < len(row) else "" for k, i in col.items()}
        if cells["LADyyCD"]:
            out.units.setdefault(cells["LADyyCD"], (cells["LADyyNM"], cells["PFAyyCD"]))
            out.pfa_names[cells["PFAyyCD"]] = cells["PFAyyNM"]
    header, rows = read_table(counties)
    col = _need(
        counties, header, {"LADyyCD": r"LAD\d\dCD", "CTYyyCD": r"CTY\d\dCD", "CTYyyNM": r"CTY\d\dNM"},
        "an ONS 'LAD to county' lookup", "--counties",
    )
    for _, row in rows:
        lad, cty, name = (row[col[k]].strip() if col[k] < len(row) else "" for k in ("LADyyCD", "CTYyyCD", "CTYyyNM"))
        if cty.startswith("E10"):
            out.county_of[lad] = cty
            out.county_names[cty] = name
    header, rows = read_table(councils)
    names = ("gss-code", "official-name", "nice-name", "alt-names", "local-authority-type", "start-date", "end-date")
    col = _need(
        councils, header, {k: re.escape(k) for k in names}, "mySociety's councils table (uk_local_authorities_future.csv)",
        "--councils",
    )
    for _, row in rows:
        out.councils.append({k: row[i].strip() if i < len(row) else "" for k, i in col.items()})
    return out


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _place(name: str) -> frozenset[str]:
    """A council's place words: its name without styles (City, Borough, Council...)."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ").replace("'", ""))
    return frozenset(w for w in words if w not in _STYLE)


def _label(structure: Structure, code: str | None, names: dict[str, str]) -> str:
    if code is None:
        return "none"
    rec = structure.get(code)
    return f"{names.get(code) or (rec.name if rec else code)} ({code})"


def _in_force_area(structure: Structure, pfa: str | None) -> str:
    return f"in {_label(structure, pfa, {})}" if pfa else "in no police force area"


def drift(
    structure: Structure,
    on: dt.date,
    ons: str | Path | None = None,
    councils: str | Path | None = None,
    counties: str | Path | None = None,
) -> Drift:
    """Compare a register with the public lookups on what both know, on one date.

    Parameters
    ----------
    structure : Structure
        The register (dated: it is read as it stands on ``on``).
    on : datetime.date
        The date: the register's units, counties and councils in force then, and
        mySociety's councils in force then.
    ons, councils, counties : path, optional
        The lookups; by default the bundled ONS December 2023 LAD → CSP → PFA
        lookup, mySociety's councils table and ONS's April 2021 LAD → county lookup
        (:mod:`restructure.data`).

    Returns
    -------
    Drift
        Only the disagreements, sorted by code, record and field; none when the
        register agrees.

    Raises
    ------
    ImportFailed
        A lookup is missing or of the wrong kind.
    ValidationFailed
        The register has no police force area in force on the date (nothing to compare within).
    """
    from . import data
    from .errors import ValidationFailed

    pub = read_public(
        ons or data.path(DEFAULT_ONS), councils or data.path(DEFAULT_COUNCILS), counties or data.path(DEFAULT_COUNTIES)
    )
    snap = structure.as_of(on)
    pfas = sorted(a.id for a in snap.areas(kind=AreaKind.police_force_area))
    if not pfas:
        raise ValidationFailed(
            f"the register has no police force area in force on {on}: drift compares within police force areas",
            "Give a structure with its police force area, or another --as-of date",
        )
    found: list[Disagreement] = []
    ons_name = f"ONS ({Path(pub.ons_file).name})"

    def say(code, name, record, fld, register, public, source, message) -> None:
        found.append(Disagreement(code, name, record, fld, register, public, source, message))

    names = {**pub.pfa_names, **pub.county_names}

    def ancestor(area: str, kind: AreaKind) -> str | None:
        return next((a for a in snap.ancestors(area) if snap.area(a).kind == kind), None)

    # -- units ---------------------------------------------------------------------
    public_units = {c: v for c, v in pub.units.items() if v[1] in pfas}
    register_units = {(u.gss or u.id): u for u in snap.units()}
    for code in sorted(set(public_units) | set(register_units)):
        unit = register_units.get(code)
        if unit is None:
            name, pfa = public_units[code]
            say(code, name, "unit", "presence", "none", f"{_UNIT_KIND.get(code[:3], 'district')} {name}", "ONS",
                f"{name} ({code}): ONS lists it in {_label(snap, pfa, names)}; the register has no district or "
                f"unitary with that code in force on {on}")
            continue
        if code not in pub.units:
            say(code, unit.name, "unit", "presence", f"{unit.kind.value} {unit.name}", "none", "ONS",
                f"{unit.name} ({code}): the register has it as a {unit.kind.value} in force on {on}; "
                f"{ons_name} does not list it")
            continue
        name, pfa = pub.units[code]
        if unit.name != name:
            say(code, unit.name, "unit", "name", unit.name, name, "ONS",
                f"{unit.name} ({code}): register says named '{unit.name}', ONS says '{name}'")
        kind = _UNIT_KIND.get(code[:3])
        if kind is not None and unit.kind.value != kind:
            say(code, unit.name, "unit", "kind", unit.kind.value, kind, "ONS",
                f"{unit.name} ({code}): register says a {unit.kind.value}, ONS says a {kind}")
        mine, theirs = ancestor(unit.id, AreaKind.county), pub.county_of.get(code)
        if (mine and (snap.area(mine).gss or mine)) != theirs:
            say(code, unit.name, "unit", "county", _label(snap, mine, {}), _label(snap, theirs, names), "ONS",
                f"{unit.name} ({code}): register says "
                + (f"within {_label(snap, mine, {})}" if mine else "not within a county")
                + ", ONS says " + (f"within {_label(snap, theirs, names)}" if theirs else "not within a county"))
        mine = ancestor(unit.id, AreaKind.police_force_area)
        if mine != pfa:
            say(code, unit.name, "unit", "police force area", _label(snap, mine, {}), _label(snap, pfa, names), "ONS",
                f"{unit.name} ({code}): register says {_in_force_area(snap, mine)}, ONS says in "
                f"{_label(snap, pfa, names)}")

    # -- counties ------------------------------------------------------------------
    public_counties: dict[str, set[str]] = {}
    for code, (_, pfa) in public_units.items():
        if code in pub.county_of:
            public_counties.setdefault(pub.county_of[code], set()).add(pfa)
    register_counties = {(a.gss or a.id): a for a in snap.areas(kind=AreaKind.county)}
    for code in sorted(set(public_counties) | set(register_counties)):
        county = register_counties.get(code)
        name = pub.county_names.get(code)
        if county is None:
            say(code, name or code, "county", "presence", "none", f"county {name}", "ONS",
                f"{name} ({code}): ONS places districts within it; the register has no county with that code "
                f"in force on {on}")
            continue
        if code not in public_counties:
            say(code, county.name, "county", "presence", f"county {county.name}", "none", "ONS",
                f"{county.name} ({code}): the register has it as a county in force on {on}; ONS places no "
                f"district of {', '.join(pfas)} within it")
            continue
        if county.name != name:
            say(code, county.name, "county", "name", county.name, name, "ONS",
                f"{county.name} ({code}): register says named '{county.name}', ONS says '{name}'")
        mine = ancestor(county.id, AreaKind.police_force_area)
        theirs = sorted(public_counties[code])
        if [mine] != theirs:
            say(code, county.name, "county", "police force area", _label(snap, mine, {}),
                ", ".join(_label(snap, p, names) for p in theirs), "ONS",
                f"{county.name} ({code}): register says {_in_force_area(snap, mine)}, ONS says in "
                + ", ".join(_label(snap, p, names) for p in theirs))

    # -- councils ------------------------------------------------------------------
    in_scope = set(public_units) | set(public_counties) | set(register_units) | set(register_counties)
    public_councils: dict[str, dict[str, str]] = {}
    for row in pub.councils:
        start, end = _date(row["start-date"]), _date(row["end-date"])
        kind = _COUNCIL_KIND.get(row["local-authority-type"])
        if kind is None or not row["gss-code"] or (start and on < start) or (end and on > end):
            continue
        public_councils.setdefault(row["gss-code"], row)
    register_councils = {b.gss: b for b in snap.bodies() if b.kind in COUNCIL_KINDS and b.gss}
    compared_councils = 0
    for code in sorted((set(public_councils) & in_scope) | set(register_councils)):
        body, row = register_councils.get(code), public_councils.get(code)
        if body is None:
            say(code, row["official-name"], "council", "presence", "none", row["official-name"], "mySociety",
                f"{row['official-name']} ({code}): mySociety lists it in force on {on}; the register has no "
                f"council with that code in force")
            continue
        if row is None:
            say(code, body.name, "council", "presence", body.name, "none", "mySociety",
                f"{body.name} ({code}): the register has it in force on {on}; mySociety lists no council "
                f"with that code in force then")
            continue
        compared_councils += 1
        accepted = [row["official-name"], row["nice-name"], *row["alt-names"].split(",")]
        if _place(body.name) not in {_place(n) for n in accepted if n.strip()}:
            say(code, body.name, "council", "name", body.name, row["official-name"], "mySociety",
                f"{body.name} ({code}): register says named '{body.name}', mySociety says "
                f"'{row['official-name']}'")
        kind = _COUNCIL_KIND[row["local-authority-type"]]
        if body.kind != kind:
            say(code, body.name, "council", "kind", body.kind.value.replace("_", " "),
                kind.value.replace("_", " "), "mySociety",
                f"{body.name} ({code}): register says a {body.kind.value.replace('_', ' ')}, mySociety says a "
                f"{kind.value.replace('_', ' ')}")
    both_units = len(set(public_units) & set(register_units))
    both_counties = len(set(public_counties) & set(register_counties))
    return Drift(
        structure=structure.name,
        on=on,
        sources=(Path(pub.ons_file).name, Path(pub.counties_file).name, Path(pub.councils_file).name),
        compared={"units": both_units, "counties": both_counties, "councils": compared_councils},
        disagreements=tuple(sorted(found, key=lambda d: (d.code, d.record, d.field))),
    )


# -- renderings ----------------------------------------------------------------------


def _headline(d: Drift) -> str:
    c = d.compared

    def n(k: str, one: str, many: str) -> str:
        return f"{c[k]} {one if c[k] == 1 else many}"

    return (
        f"{d.structure or 'structure'} on {d.on} against {', '.join(d.sources)}: compared "
        f"{n('units', 'unit', 'units')}, {n('counties', 'county', 'counties')} and {n('councils', 'council', 'councils')}"
    )


def render_text(d: Drift) -> str:
    """One line per disagreement, after a headline; says so when there is none."""
    lines = [_headline(d)]
    if not d.disagreements:
        lines.append("No drift: the register agrees with the public lookups on everything both know.")
    else:
        n = len(d.disagreements)
        lines.append(f"{n} disagreement{'s' if n != 1 else ''}:")
        lines += [f"  {terminal(x.message, keep='')}" for x in d.disagreements]
    return "\n".join(lines) + "\n"


def render_markdown(d: Drift) -> str:
    """A Markdown table of the disagreements."""
    out = [f"**{_headline(d)}**", ""]
    if not d.disagreements:
        return "\n".join(out + ["No drift.", ""])
    out += ["| code | name | record | field | register says | public data says | source |", "|---|---|---|---|---|---|---|"]
    for x in d.disagreements:
        cells = [x.code, x.name, x.record, x.field, x.register, x.public, x.source]
        out.append("| " + " | ".join(markdown(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


CSV_COLUMNS = ("code", "name", "record", "field", "register", "public", "source", "message")


def render_csv(d: Drift) -> str:
    """RFC 4180 CSV (CRLF line ends, a header row), starting with a UTF-8 byte-order mark for spreadsheets.

    Written by the project's one CSV writer (:mod:`restructure.io.csvfile`), which also defuses cells a
    spreadsheet would run as formulas.
    """
    from .io.csvfile import dumps

    return dumps(CSV_COLUMNS, ([getattr(x, c) for c in CSV_COLUMNS] for x in d.disagreements), bom=True)


def render_json(d: Drift) -> str:
    """The drift as JSON."""
    from .io.yamlfile import dumps_json

    return dumps_json(d.to_dict())
