"""Import a structure from ONS "LAD to CSP to PFA" lookups.

ONS publishes, most years, a lookup from each local authority district (LAD)
to its Community Safety Partnership (CSP) statistical area and its police force
area (PFA). Column names carry the year (``LAD17CD``, ``LAD23CD``…), so they
are found by pattern, whatever the year; the files start with a byte-order
mark, which is dropped.

What the structure holds
------------------------
- one ``police_force_area`` per PFA (``E23…``/``W15…``);
- one area per district or unitary, keyed by its GSS code, with its kind from
  the code: ``E06``/``W06`` unitary; ``E07`` district; ``E08`` (metropolitan
  district) and ``E09`` (London borough) are ``unitary`` with a note: ONS files
  them as districts, but they are single-tier councils in no county, so each is
  both a unit of Serious Violence Duty coverage and an upper-tier local area
  with its own Strategy Board seat (as a VRU board in the West Midlands has);
- counties (``E10``) over their districts, when a district-to-county lookup is
  given (``counties_path``); a county lies in the PFA of its districts.
  Metropolitan counties (``E11``) and Inner/Outer London (``E13``) have had no
  council since 1986 and are left out: their districts lie in the PFA directly;
- one council (:class:`~restructure.model.Body`) per district, unitary and
  county, id ``<slug of name>-council`` (``aylesbury-vale-council``) or
  ``<slug>-county-council``, ``gss`` its area's code, ``serves`` its area;
- the ONS CSP areas (``E22…``/``W14…``) as ``statistical`` areas inside the PFA.

Why ONS CSP areas are statistical areas, not partnerships
--------------------------------------------------------
ONS has not changed its CSP geography since 2017: after a reorganisation the new
council simply maps to the old CSP codes (Buckinghamshire to four, although one
Safer Buckinghamshire Board exists). So an ``E22`` code is a label for joining
crime statistics, not a live partnership; which partnerships exist is said by a
curated register such as the Thames Valley baseline. Each district or unitary
lies ``within`` every statistical CSP area ONS maps it to (several, for a
council made by a reorganisation). That makes the statistical area an
*ancestor* of the district but never a local-government one:
:meth:`~restructure.structure.Structure.units` and
:meth:`~restructure.structure.Structure.local_areas` only look at ancestors of
kind unitary, district or county, so they are unaffected (tested in
``tests/test_io_ons.py``). In YAML one ``within`` is written as the area's
``parent:`` shorthand (the first in key order, so for a unitary it is an
``E22`` area) and the others as relations: both read back the same.

County lookups
--------------
``counties_path`` is either an ONS ``LADyy_CTYyy`` lookup or mySociety's
``uk_local_authorities_future.csv`` (which lists past councils too, so it gives
the counties of districts abolished before the ONS lookup's year). In mySociety's
file the county of a district is its ``county-la``; where that disagrees with
the district's old ONS code (``snac``, whose first two digits are its county's
code: Forest Heath ``42UC`` lies in Suffolk ``42``, though mySociety gives
``SRY``), the ONS code wins, because it is ONS's own record of the county,
and the district's note says so.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import data
from ..collector import paused
from ..errors import ImportFailed, did_you_mean
from ..model import Area, AreaKind, Body, BodyKind, Duty, Relation, RelationKind
from ..structure import Structure
from ..text import forbidden

__all__ = [
    "import_ons",
    "add_small_areas",
    "read_lookup",
    "read_table",
    "find_pfa",
    "council_id",
    "slug",
    "Lookup",
    "COUNCIL_DUTIES",
]

Progress = Callable[[int], None]
"""Called with the number of rows just read (for a progress bar)."""

COUNCIL_DUTIES = frozenset({Duty.serious_violence_duty, Duty.csp_responsible_authority})
"""Every district, unitary and county council is a Serious Violence Duty specified
authority (PCSC Act 2022 Sched. 1) and a CSP responsible authority (CDA 1998 s.5)."""

_AREA_KIND = {
    "E06": AreaKind.unitary,
    "W06": AreaKind.unitary,
    "E07": AreaKind.district,
    "E08": AreaKind.unitary,  # single-tier: see the module docstring
    "E09": AreaKind.unitary,
}
_BODY_KIND = {AreaKind.unitary: BodyKind.unitary_council, AreaKind.district: BodyKind.district_council}
_NOTE = {
    "E08": "Metropolitan district: a single-tier council (no county council since 1986); modelled as unitary.",
    "E09": "London borough: a single-tier council; modelled as unitary.",
}
_ROLES = ("LAD", "CSP", "PFA")


def slug(name: str) -> str:
    """A lower-case, hyphenated id from a name.

    Examples
    --------
    >>> slug("Bournemouth, Christchurch and Poole")
    'bournemouth-christchurch-and-poole'
    >>> slug("King's Lynn and West Norfolk")
    'kings-lynn-and-west-norfolk'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower().replace("'", "").replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def council_id(name: str, county: bool = False) -> str:
    """The id of a council body made by this importer, from its area's name.

    Examples
    --------
    >>> council_id("Aylesbury Vale"), council_id("Buckinghamshire", county=True)
    ('aylesbury-vale-council', 'buckinghamshire-county-council')
    """
    return f"{slug(name)}-{'county-' if county else ''}council"


# -- reading CSV files -------------------------------------------------------------------


def read_table(path: str | Path, progress: Progress | None = None) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Read a CSV file: its header and an iterator of ``(line, row)``.

    The byte-order mark ONS files start with is dropped. ``line`` is the
    1-based line of the row in the file (the header is line 1). The file is
    read whole and closed at once (the largest, 42,000 rows, is 600 kB);
    ``progress`` is called as rows are taken from the iterator, which is
    where an import spends its time.

    Raises
    ------
    ImportFailed
        The file is missing, empty, not UTF-8 text or not CSV.
    """
    path = Path(path)
    table: list[tuple[int, list[str]]] = []
    try:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise ImportFailed("not UTF-8 text", "Save the file as UTF-8", file=str(path), line=line) from None
        reader = csv.reader(io.StringIO(text, newline=""))
        line = 0
        try:
            for row in reader:
                if any(row):
                    _plain_cells(row, path, line + 1)
                    table.append((line + 1, row))
                line = reader.line_num
        except csv.Error as exc:
            raise ImportFailed(f"not a CSV file ({exc})", file=str(path), line=reader.line_num) from None
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file", "Check the path") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path}: is a directory, not a CSV file", "Name a .csv file") from None
    if not table:
        raise ImportFailed("the file is empty", file=str(path), line=1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for item in table[1:]:
            if progress is not None:
                progress(1)
            yield item

    return [h.strip() for h in table[0][1]], rows()


def _plain_cells(row: list[str], path: Path, line: int) -> None:
    """Refuse a row holding control characters or bidirectional overrides (names are text)."""
    for i, cell in enumerate(row):
        bad = forbidden(cell)
        if bad:
            raise ImportFailed(f"column {i + 1} holds a {bad}", "Remove it from the file; names must be "
                               "plain text", file=str(path), line=line)


def _columns(header: list[str], path, wanted: dict[str, str]) -> dict[str, int]:
    """Find columns by regular expression; a missing one is an error naming it."""
    found: dict[str, int] = {}
    for key, pattern in wanted.items():
        hits = [i for i, h in enumerate(header) if re.fullmatch(pattern, h, re.IGNORECASE)]
        if not hits:
            readable = pattern.replace(r"\d\d", "yy").replace("\\", "")
            raise ImportFailed(
                f"missing column {readable} (columns are: {', '.join(header)})",
                "Use an unchanged ONS or mySociety download",
                file=str(path),
                line=1,
            )
        found[key] = hits[0]
    return found


def _cell(row: list[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


@dataclass
class Lookup:
    """An ONS LAD → CSP → PFA lookup, read and checked.

    Attributes
    ----------
    year : str
        The two digits the column names carry (``"17"``).
    lads : dict
        LAD code → (name, PFA code, line of its first row).
    csps : dict
        LAD code → sorted CSP codes.
    csp_names, pfa_names : dict
        Code → name.
    csp_pfa : dict
        CSP code → PFA code.
    """

    file: str
    year: str
    lads: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    csps: dict[str, list[str]] = field(default_factory=dict)
    csp_names: dict[str, str] = field(default_factory=dict)
    pfa_names: dict[str, str] = field(default_factory=dict)
    csp_pfa: dict[str, str] = field(default_factory=dict)


def read_lookup(path: str | Path, progress: Progress | None = None) -> Lookup:
    """Read an ONS LAD → CSP → PFA lookup of any year.

    Columns are found by pattern (``LAD\\d\\dCD``, ``CSP\\d\\dNM``…). A district
    may map to several CSP areas (after a reorganisation) but to one name and
    one police force area; a CSP area lies in one police force area.

    Raises
    ------
    ImportFailed
        ``file:line: problem`` for a missing column, an empty code, or a code
        mapped to two parents.

    Examples
    --------
    >>> lk = read_lookup(data.path("ons/LAD23_CSP23_PFA23_EW_LU.csv"))
    >>> lk.year, len(lk.lads), lk.csps["E06000060"]
    ('23', 318, ['E22000303', 'E22000306', 'E22000311', 'E22000318'])
    """
    header, rows = read_table(path, progress)
    pattern = {f"{r}{k}": rf"{r}\d\d{k}" for r in _ROLES for k in ("CD", "NM")}
    col = _columns(header, path, pattern)
    years = {header[col[f"{r}CD"]][3:5] for r in _ROLES}
    out = Lookup(str(path), sorted(years)[0])
    file = str(path)
    csps: dict[str, set[str]] = defaultdict(set)
    for line, row in rows:
        lad, lad_nm, csp, csp_nm, pfa, pfa_nm = (
            _cell(row, col[k]) for k in ("LADCD", "LADNM", "CSPCD", "CSPNM", "PFACD", "PFANM")
        )
        for code, what in ((lad, "district"), (csp, "CSP"), (pfa, "police force area")):
            if not code:
                raise ImportFailed(f"row has no {what} code", file=file, line=line)
        if lad in out.lads:
            name0, pfa0, line0 = out.lads[lad]
            if pfa0 != pfa:
                raise ImportFailed(
                    f"district {lad} ({lad_nm}) lies in two police force areas: {pfa0} (line {line0}) and {pfa}",
                    file=file,
                    line=line,
                    ids=(lad, pfa0, pfa),
                )
            if name0 != lad_nm:
                raise ImportFailed(
                    f"district {lad} has two names: {name0!r} (line {line0}) and {lad_nm!r}",
                    file=file,
                    line=line,
                    ids=(lad,),
                )
        else:
            out.lads[lad] = (lad_nm, pfa, line)
        if out.csp_pfa.setdefault(csp, pfa) != pfa:
            raise ImportFailed(
                f"CSP area {csp} ({csp_nm}) lies in two police force areas: {out.csp_pfa[csp]} and {pfa}",
                file=file,
                line=line,
                ids=(csp,),
            )
        csps[lad].add(csp)
        out.csp_names[csp] = csp_nm
        out.pfa_names[pfa] = pfa_nm
    if not out.lads:
        raise ImportFailed("the lookup has no rows", file=file, line=2)
    out.csps = {lad: sorted(c) for lad, c in csps.items()}
    return out


def _read_counties(path) -> tuple[dict[str, str], dict[str, str], dict[str, str], str]:
    """District → county code, county code → name, notes on districts, and the publisher's attribution.

    Reads an ONS ``LADyy_CTYyy`` lookup or mySociety's councils table.
    Only shire counties (``E10``) are kept: they are the ones with councils.
    """
    header, rows = read_table(path)
    lower = [h.lower() for h in header]
    if "gss-code" in lower and "county-la" in lower:
        return (*_read_mysociety_counties(path, header, rows), data.MYSOCIETY)
    col = _columns(header, path, {"lad": r"LAD\d\dCD", "cty": r"CTY\d\dCD", "cty_nm": r"CTY\d\dNM"})
    county_of: dict[str, str] = {}
    names: dict[str, str] = {}
    for line, row in rows:
        lad, cty, cty_nm = _cell(row, col["lad"]), _cell(row, col["cty"]), _cell(row, col["cty_nm"])
        if not cty.startswith("E10"):
            continue
        if county_of.setdefault(lad, cty) != cty:
            raise ImportFailed(
                f"district {lad} lies in two counties: {county_of[lad]} and {cty}",
                file=str(path),
                line=line,
                ids=(lad,),
            )
        names[cty] = cty_nm
    return county_of, names, {}, data.ONS


def _read_mysociety_counties(path, header, rows):
    col = _columns(
        header,
        path,
        {k: re.escape(k) for k in ("local-authority-code", "gss-code", "nice-name", "county-la", "local-authority-type", "snac")},
    )
    table = [(line, {k: _cell(row, i) for k, i in col.items()}) for line, row in rows]
    by_code = {r["local-authority-code"]: r for _, r in table}
    by_snac = {r["snac"]: r for _, r in table if r["local-authority-type"] == "CTY" and r["snac"]}
    county_of: dict[str, str] = {}
    names: dict[str, str] = {}
    notes: dict[str, str] = {}
    for line, r in table:
        if r["local-authority-type"] != "NMD" or not r["county-la"]:
            continue
        county = by_code.get(r["county-la"])
        if county is None:
            raise ImportFailed(
                f"council {r['local-authority-code']} names an unknown county '{r['county-la']}'",
                file=str(path),
                line=line,
                ids=(r["local-authority-code"],),
            )
        by_old_code = by_snac.get(r["snac"][:2]) if re.fullmatch(r"\d\dU[A-Z]", r["snac"]) else None
        if by_old_code is not None and by_old_code is not county:
            notes[r["gss-code"]] = (
                f"mySociety gives county {county['local-authority-code']} ({county['nice-name']}), but the old ONS "
                f"code {r['snac']} places it in {by_old_code['nice-name']}: the ONS code wins."
            )
            county = by_old_code
        county_of[r["gss-code"]] = county["gss-code"]
        # mySociety's nice name of a county sometimes keeps "County" ("Buckinghamshire County").
        names[county["gss-code"]] = re.sub(r" County$", "", county["nice-name"])
    return county_of, names, notes


# -- building the structure --------------------------------------------------------------


def find_pfa(lookup: Lookup, pfa: str, n: int = 1) -> str:
    """The code of a police force area in a lookup, from its code or name (any case).

    Raises
    ------
    ImportFailed
        No such force; the hint names up to ``n`` nearest names.
    """
    wanted = pfa.strip().lower()
    for code, name in lookup.pfa_names.items():
        if wanted in (code.lower(), name.lower()):
            return code
    hint = did_you_mean(pfa, lookup.pfa_names.values(), n=n) or "Give a PFA code (E23…, W15…) or name from the lookup"
    raise ImportFailed(f"no police force area '{pfa}' in {lookup.file}", hint, ids=(pfa,))


def import_ons(
    lookup_path: str | Path | None = None,
    pfa: str | None = None,
    counties_path: str | Path | None = None,
    small_areas: tuple[str | Path, str | Path] | bool | None = None,
    progress: Progress | None = None,
    *,
    year: int | None = None,
) -> Structure:
    """Build a structure from an ONS LAD → CSP → PFA lookup.

    Parameters
    ----------
    lookup_path : path, optional
        An ONS "Local Authority District to Community Safety Partnerships to
        Police Force Areas" lookup of any year. Without it, the edition of
        ``year`` that ships with restructure (:data:`restructure.data.ONS_LOOKUPS`),
        with its districts under their counties (the bundled county lookup
        that fits the year, unless ``counties_path`` is given).
    pfa : str, optional
        Keep only this police force area (its code or name, any case).
        All of England and Wales by default.
    counties_path : path, optional
        An ONS ``LADyy_CTYyy`` lookup or mySociety's councils table: puts
        districts under their counties and adds county councils.
    small_areas : (path, path) or True, optional
        mySociety's ``lookup_lsoa_to_registry.csv`` and
        ``uk_local_authorities_future.csv``: adds small areas under their councils
        (see :func:`add_small_areas`). ``True``: the bundled copies of both.
    progress : callable, optional
        Called with the number of rows read, as they are read.
    year : int, optional
        Without ``lookup_path``: which bundled edition, 2017 or 2023 (default
        the latest). Not allowed with ``lookup_path``.

    Returns
    -------
    Structure
        Undated: every record is in force "since before the records begin".
        Its ``sources`` name the files read and carry the attribution their
        publishers' licences require (:data:`restructure.data.ATTRIBUTION`).

    Raises
    ------
    ImportFailed
        One line naming the file, its line and the problem; nothing is built;
        or a year with no bundled edition.

    Examples
    --------
    >>> s = import_ons(year=2017, pfa="Thames Valley")
    >>> [a.name for a in s.units()][:3]
    ['Bracknell Forest', 'West Berkshire', 'Reading']
    >>> s.body("aylesbury-vale-council").gss
    'E07000004'
    >>> s.sources[-2:] == data.ATTRIBUTION   # ONS's lookup, mySociety's counties
    True
    """
    if lookup_path is None:
        year = max(data.ONS_LOOKUPS) if year is None else year
        if year not in data.ONS_LOOKUPS:
            raise ImportFailed(
                f"no bundled ONS lookup for {year}",
                f"Use one of {', '.join(str(y) for y in sorted(data.ONS_LOOKUPS))}, or give a lookup file",
            )
        lookup_path = data.path(data.ONS_LOOKUPS[year])
        if counties_path is None:
            counties_path = data.path(data.COUNTY_LOOKUPS[year])
    elif year is not None:
        raise ImportFailed("give a lookup file or a year of the bundled lookups, not both")
    if small_areas is True:
        small_areas = (data.path(data.SMALL_AREAS), data.path(data.COUNCILS))
    elif small_areas is False:
        small_areas = None
    with paused():
        return _import_ons(lookup_path, pfa, counties_path, small_areas, progress)


def _import_ons(lookup_path, pfa, counties_path, small_areas, progress) -> Structure:
    lookup = read_lookup(lookup_path, progress)
    keep = find_pfa(lookup, pfa) if pfa else None
    county_of: dict[str, str] = {}
    county_names: dict[str, str] = {}
    county_notes: dict[str, str] = {}
    if counties_path is not None:
        county_of, county_names, county_notes, publisher = _read_counties(counties_path)

    lads = {c: v for c, v in lookup.lads.items() if keep is None or v[1] == keep}
    where = f"police force area {keep} ({lookup.pfa_names[keep]})" if keep else "England and Wales"
    sources = [f"ONS LAD{lookup.year} to CSP to PFA lookup: {Path(lookup_path).name}"]
    publishers = {data.ONS}
    if counties_path is not None:
        sources.append(f"District to county: {Path(counties_path).name}")
        publishers.add(publisher)
    if small_areas is not None:
        sources.append(f"Small areas: {Path(small_areas[0]).name} with {Path(small_areas[1]).name}")
        publishers.add(data.MYSOCIETY)
    s = Structure(
        f"{where} from ONS 20{lookup.year}",
        description=(
            "Districts, unitaries and counties with their councils. Areas of kind 'statistical' are ONS "
            "CSP areas (E22/W14, frozen since 2017): labels for joining crime statistics, not live "
            "partnerships; a curated register says which partnerships exist."
        ),
        sources=[*sources, *(a for a in data.ATTRIBUTION if a in publishers)],
    )
    add = s.add
    W = RelationKind.within
    pfas = sorted({v[1] for v in lads.values()})
    for code in pfas:
        add(Area(id=code, name=lookup.pfa_names[code], kind=AreaKind.police_force_area))

    # Counties: only those with a district in the kept districts; a county lies in one PFA.
    county_pfa: dict[str, tuple[str, str]] = {}
    for lad in sorted(lads):
        cty = county_of.get(lad)
        if cty is None or not lad.startswith("E07"):
            continue
        first = county_pfa.setdefault(cty, (lads[lad][1], lad))
        if first[0] != lads[lad][1]:
            raise ImportFailed(
                f"county {cty} ({county_names[cty]}) would lie in two police force areas: "
                f"{first[0]} (district {first[1]}) and {lads[lad][1]} (district {lad})",
                "Check the county lookup matches the year of the ONS lookup",
                file=str(counties_path),
                ids=(cty, first[1], lad),
            )
    for cty in sorted(county_pfa):
        name = county_names[cty]
        add(Area(id=cty, name=name, kind=AreaKind.county))
        add(Relation(kind=W, source=cty, target=county_pfa[cty][0]))
        body = council_id(name, county=True)
        add(Body(id=body, name=f"{name} County Council", kind=BodyKind.county_council, gss=cty, duties=COUNCIL_DUTIES))
        add(Relation(kind=RelationKind.serves, source=body, target=cty))

    csps = sorted({c for lad in lads for c in lookup.csps[lad]})
    for csp in csps:
        add(Area(id=csp, name=lookup.csp_names[csp], kind=AreaKind.statistical))
        add(Relation(kind=W, source=csp, target=lookup.csp_pfa[csp]))

    taken: set[str] = set()
    for lad in sorted(lads):
        name, pfa_code, line = lads[lad]
        kind = _AREA_KIND.get(lad[:3])
        if kind is None:
            raise ImportFailed(
                f"district code {lad} is not a district or unitary (E06, E07, E08, E09 or W06)",
                file=str(lookup_path),
                line=line,
                ids=(lad,),
            )
        note = " ".join(n for n in (_NOTE.get(lad[:3]), county_notes.get(lad)) if n) or None
        add(Area(id=lad, name=name, kind=kind, note=note))
        cty = county_of.get(lad) if lad.startswith("E07") else None
        add(Relation(kind=W, source=lad, target=cty or pfa_code))
        for csp in lookup.csps[lad]:
            add(Relation(kind=W, source=lad, target=csp))
        body = council_id(name)
        if body in taken or body in s:
            body = f"{slug(name)}-{lad.lower()}-council"  # two councils of one name: keep ids unique
        taken.add(body)
        add(Body(id=body, name=f"{name} Council", kind=_BODY_KIND[kind], gss=lad, duties=COUNCIL_DUTIES))
        add(Relation(kind=RelationKind.serves, source=body, target=lad))

    if small_areas is not None:
        add_small_areas(s, small_areas[0], small_areas[1], progress=progress)
    return s


def add_small_areas(
    structure: Structure,
    lsoa_path: str | Path,
    councils_path: str | Path,
    progress: Progress | None = None,
) -> int:
    """Add small areas (LSOAs) under the district or unitary they lie in.

    Reads mySociety's ``lookup_lsoa_to_registry.csv`` (small area → current
    council's three-letter code) and joins it to ``uk_local_authorities_future.csv``
    on ``local-authority-code`` for the council's GSS code. Small areas whose
    council is not in the structure (Scotland, Northern Ireland, other police
    force areas) are skipped.

    Returns
    -------
    int
        How many small areas were added.

    Raises
    ------
    ImportFailed
        A missing column, or a council code the councils table does not know.
    """
    with paused():
        return _add_small_areas(structure, lsoa_path, councils_path, progress)


def _add_small_areas(structure, lsoa_path, councils_path, progress) -> int:
    header, rows = read_table(councils_path)
    col = _columns(header, councils_path, {"code": "local-authority-code", "gss": "gss-code"})
    gss_of = {_cell(r, col["code"]): _cell(r, col["gss"]) for _, r in rows}
    header, rows = read_table(lsoa_path, progress)
    col = _columns(header, lsoa_path, {"lsoa": "lsoa", "code": "local-authority-code"})
    graph = structure.graph
    added = 0
    W = RelationKind.within
    for line, row in rows:
        lsoa, code = _cell(row, col["lsoa"]), _cell(row, col["code"])
        gss = gss_of.get(code)
        if gss is None:
            raise ImportFailed(
                f"small area {lsoa} names council '{code}', which {Path(councils_path).name} does not list",
                file=str(lsoa_path),
                line=line,
                ids=(lsoa, code),
            )
        if gss not in graph:
            continue
        if lsoa in graph:
            raise ImportFailed(f"small area {lsoa} appears twice", file=str(lsoa_path), line=line, ids=(lsoa,))
        structure.add(Area(id=lsoa, name=lsoa, kind=AreaKind.small_area))
        structure.add(Relation(kind=W, source=lsoa, target=gss))
        added += 1
    return added
