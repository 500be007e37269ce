"""A draft register for any police force area, from the public data bundled with restructure.

:func:`new_area` builds the structure a partnership outside Thames Valley can
start from, in one call, from :mod:`restructure.data` alone:

- **geography and councils** (reusing :func:`~restructure.io.ons.import_ons`):
  the police force area, its counties, districts and unitaries (ONS December
  2023 and April 2021), each with its council, named by mySociety's official
  name where it has one;
- **police**: the chief officer of police (the force) and the police and crime
  commissioner's office;
- **fire**: the fire and rescue authority serving each district or unitary
  (ONS LAD to FRA, December 2019). A district or unitary created since 2019
  takes its predecessors' authority through mySociety's successions table
  (Buckinghamshire's unitary takes Aylesbury Vale's, and so on);
- **draft partnerships**: one Community Safety Partnership per ONS CSP area,
  covering its districts and discharging the Serious Violence Duty for them.
  ONS CSP areas are statistical labels (frozen since 2017), so labels that share
  a council made by a reorganisation become one partnership (Buckinghamshire's
  four labels, one Safer Buckinghamshire), and every CSP says it is a draft;
- **draft agencies**: a youth justice service per upper-tier council; the
  integrated care board and the probation region as one placeholder each for
  the force area (no public lookup of either is bundled);
- **a draft strategy board** with one seat per local area and a duty-holder
  seat per agency.

Each draft record's ``note`` begins ``Draft:`` and says what to confirm; the
check rule ``DRF001`` (info) lists them, so ``restructure check`` on a fresh
register shows the planner what is still to do. Confirming a record means
replacing its note with what was checked, and its source.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import data
from ..errors import ImportFailed, did_you_mean
from ..model import (
    COUNCIL_KINDS,
    DRAFT,
    AreaKind,
    Body,
    BodyKind,
    Duty,
    Relation,
    RelationKind,
    Strategy,
    Tier,
)
from ..structure import Structure
from .ons import _cell, _columns, find_pfa, import_ons, read_lookup, read_table, slug

__all__ = ["new_area", "police_force_areas", "LOOKUP", "COUNTIES", "FIRE", "COUNCILS"]

R = RelationKind

LOOKUP = "ons/LAD23_CSP23_PFA23_EW_LU.csv"
"""The bundled ONS lookup a register is built from (districts, CSP areas, police force areas)."""
COUNTIES = "ons/LAD21_CTY21_EN_LU.csv"
"""The bundled district-to-county lookup."""
FIRE = "ons/LAD19_FRA19_EW_LU.csv"
"""The bundled district-to-fire-and-rescue-authority lookup."""
COUNCILS = "mysociety/uk_local_authorities_future.csv"
"""mySociety's councils table: official names, and predecessors of councils created since 2019."""

AGENCY_DUTIES = frozenset({Duty.serious_violence_duty, Duty.csp_responsible_authority})
"""Police, fire, health and probation: Serious Violence Duty specified authorities (PCSC Act 2022
Sched. 1) and CSP responsible authorities (Crime and Disorder Act 1998 s.5)."""

FIRST_STRATEGIES_DUE = dt.date(2024, 1, 31)


def _source(name: str) -> str:
    """A short citation of a bundled file (the licences' attributions are the structure's sources)."""
    return f"{'ONS' if name.startswith('ons/') else 'mySociety'} {Path(name).name}"


def _display(name: str) -> str:
    """ONS writes some names inverted ("London, City of"): the name as people say it."""
    if ", " in name:
        head, _, tail = name.partition(", ")
        return f"{tail} {head}"
    return name


def police_force_areas() -> list[tuple[str, str]]:
    """The police force areas a register can be built for: ``(code, name)``, sorted by name.

    Examples
    --------
    >>> forces = police_force_areas()
    >>> len(forces), ("E23000031", "Surrey") in forces
    (43, True)
    """
    lookup = read_lookup(data.path(LOOKUP))
    return sorted(lookup.pfa_names.items(), key=lambda kv: kv[1])


@dataclass(frozen=True)
class _Fire:
    code: str
    name: str
    how: str  # "" when the district is in the lookup, else where its authority came from


def _read_fire(path: Path) -> dict[str, tuple[str, str, int]]:
    header, rows = read_table(path)
    col = _columns(header, path, {"lad": r"LAD\d\dCD", "fra": r"FRA\d\dCD", "fra_nm": r"FRA\d\dNM"})
    out: dict[str, tuple[str, str, int]] = {}
    for line, row in rows:
        lad, fra, name = _cell(row, col["lad"]), _cell(row, col["fra"]), _cell(row, col["fra_nm"])
        if not lad or not fra:
            raise ImportFailed("row has no district or fire and rescue authority code", file=str(path), line=line)
        out[lad] = (fra, name, line)
    return out


def _read_councils(path: Path) -> tuple[dict[str, dict], dict[str, list[tuple[int, dict]]]]:
    """Current councils by GSS code, and every council row by its GSS code (with its line)."""
    header, rows = read_table(path)
    keys = ("local-authority-code", "official-name", "gss-code", "end-date", "replaced-by")
    col = _columns(header, path, {k: k for k in keys})
    current: dict[str, dict] = {}
    by_gss: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in rows:
        r = {k: _cell(row, i) for k, i in col.items()}
        by_gss[r["gss-code"]].append((line, r))
        if not r["end-date"] and r["gss-code"]:
            current[r["gss-code"]] = r
    return current, by_gss


def _fire_for(lad: str, name: str, line: int, fire: dict, by_gss: dict, files: dict) -> _Fire:
    """The fire and rescue authority of a district: from the lookup, or through its predecessors."""
    if lad in fire:
        code, fra_name, _ = fire[lad]
        return _Fire(code, fra_name, "")
    rows = by_gss.get(lad, [])
    if not rows:
        raise ImportFailed(
            f"district {lad} ({name}) is not in {Path(files['fire']).name}, and {Path(files['councils']).name} "
            "does not list it, so its fire and rescue authority is unknown",
            "Report it: the bundled data is incomplete for this force; nothing was written",
            file=str(files["lookup"]),
            line=line,
            ids=(lad,),
        )
    codes = {r["local-authority-code"] for _, r in rows}
    preds = sorted(
        (r["gss-code"], pline)
        for _, rs in by_gss.items()
        for pline, r in rs
        if codes & {c.strip() for c in r["replaced-by"].split(",") if c.strip()}
    )
    found = {fire[g][:2] for g, _ in preds if g in fire}
    if len(found) != 1:
        why = "names no predecessor in it" if not found else f"gives predecessors in {len(found)} authorities"
        raise ImportFailed(
            f"district {lad} ({name}) is not in {Path(files['fire']).name}, and {Path(files['councils']).name} "
            f"{why}",
            "Report it: the bundled data is incomplete for this force; nothing was written",
            file=str(files["councils"]),
            line=rows[0][0],
            ids=(lad,),
        )
    code, fra_name = found.pop()
    names = sorted(g for g, _ in preds if g in fire)
    return _Fire(code, fra_name, f"predecessors' authority ({', '.join(names)}): created after the 2019 lookup")


def _fire_body(f: _Fire) -> tuple[str, str]:
    name = _display(f.name)
    if "fire" in name.lower():
        return slug(name), name
    return f"{slug(name)}-fire", f"{name} Fire and Rescue Authority"


def new_area(
    pfa: str,
    *,
    lookup: str | Path | None = None,
    counties: str | Path | None = None,
    fire: str | Path | None = None,
    councils: str | Path | None = None,
) -> Structure:
    """A draft partnership register for one police force area, from the bundled public data.

    Parameters
    ----------
    pfa : str
        The police force area's name or GSS code, any case (``"Surrey"``, ``"E23000031"``).
    lookup, counties, fire, councils : path, optional
        Replace a bundled file (:data:`LOOKUP`, :data:`COUNTIES`, :data:`FIRE`,
        :data:`COUNCILS`), for a newer edition or a test.

    Returns
    -------
    Structure
        Undated (every record in force "since before the records begin"); every
        draft record's note begins ``Draft:``.

    Raises
    ------
    ImportFailed
        An unknown force (the hint names the nearest), or data missing for it in
        a bundled file (naming the file and row).

    Examples
    --------
    >>> s = new_area("Surrey")
    >>> len(s.units()), [a.id for a in s.local_areas()]
    (11, ['E10000030'])
    >>> [b.id for b in s.covering("E07000207")], [b.name for b in s.serving("E07000207") if b.kind == "fire_and_rescue_authority"]
    (['elmbridge-csp'], ['Surrey Fire and Rescue Authority'])
    >>> s.body("elmbridge-csp").note.startswith("Draft:")
    True
    """
    files = {
        "lookup": Path(lookup) if lookup else data.path(LOOKUP),
        "counties": Path(counties) if counties else data.path(COUNTIES),
        "fire": Path(fire) if fire else data.path(FIRE),
        "councils": Path(councils) if councils else data.path(COUNCILS),
    }
    table = read_lookup(files["lookup"])
    try:
        code = find_pfa(table, pfa, n=3)
    except ImportFailed as exc:
        hint = did_you_mean(pfa, table.pfa_names.values(), n=3) or "Run `restructure new-area --list` for the names"
        raise ImportFailed(f"no police force area '{pfa}' in England and Wales", hint, ids=exc.ids) from None
    base = import_ons(files["lookup"], pfa=code, counties_path=files["counties"])
    fire_of = _read_fire(files["fire"])
    current, by_gss = _read_councils(files["councils"])
    return _Builder(base, table, code, fire_of, current, by_gss, files).build()


class _Builder:
    """Assembles one register; each ``_add_*`` step adds one concern."""

    def __init__(self, base, table, code, fire_of, current, by_gss, files):
        self.base, self.table, self.code = base, table, code
        self.fire_of, self.current, self.by_gss, self.files = fire_of, current, by_gss, files
        self.pfa_name = _display(table.pfa_names[code])
        self.key = slug(self.pfa_name)
        named = [LOOKUP, COUNTIES, FIRE, COUNCILS]
        self.sources = tuple(_source(n) for n in named)
        self.s = Structure(
            f"{self.pfa_name} draft register",
            description=(
                f"A draft partnership register for {self.pfa_name} police force area ({code}), built by "
                "`restructure new-area` from public data: areas, councils, police, fire and rescue from ONS "
                "and mySociety lookups; Community Safety Partnerships, youth justice services, the ICB, "
                "probation and the strategy board as drafts to confirm (each says so in its note; "
                "`restructure check` lists them as DRF001)."
            ),
            sources=(*data.ATTRIBUTION, *self.sources),
        )

    def unique(self, id_: str) -> str:
        out, n = id_, 2
        while out in self.s:
            out, n = f"{id_}-{n}", n + 1
        return out

    def build(self) -> Structure:
        self._add_geography_and_councils()
        self._add_police()
        self._add_fire()
        self._add_health_and_probation()
        self._add_youth_justice()
        self._add_csps()
        self._add_board()
        return self.s

    # -- steps -----------------------------------------------------------------------------

    def _add_geography_and_councils(self) -> None:
        b, s = self.base, self.s
        statistical = {a.id for a in b.areas(kind=AreaKind.statistical)}
        for a in sorted(b.areas(), key=lambda a: a.id):
            if a.id not in statistical:
                s.add(a)
        for rel in sorted(b.relations(R.within), key=lambda r: r.key):
            if rel.source not in statistical and rel.target not in statistical:
                s.add(rel)
        self.units = [a.id for a in s.units()]
        self.local = [a.id for a in s.local_areas()]
        self.council_of: dict[str, str] = {}
        for body in sorted(b.bodies(), key=lambda x: x.id):
            row = self.current.get(body.gss or "")
            update: dict = {"sources": (_source(LOOKUP),)}
            if row and row["official-name"]:
                update = {"name": row["official-name"], "sources": (_source(LOOKUP), _source(COUNCILS))}
            s.add(body.model_copy(update=update))
            self.council_of[body.gss] = body.id
        for rel in sorted(b.relations(R.serves), key=lambda r: r.key):
            s.add(rel)

    def _add_police(self) -> None:
        name = self.pfa_name if self.pfa_name.endswith("Police") else f"{self.pfa_name} Police"
        self.police = self.unique(slug(name))
        self.s.add(Body(
            id=self.police, name=name, kind=BodyKind.police_force, duties=AGENCY_DUTIES,
            sources=(_source(LOOKUP),),
            note=(
                f"The chief officer of police for {self.pfa_name}: a CSP responsible authority (Crime and Disorder "
                "Act 1998 s.5) and a Serious Violence Duty specified authority. The name is made from the police "
                "force area's; the force's own may differ (Constabulary, Police Service)."
            ),
        ))
        self.s.add(Relation(kind=R.serves, source=self.police, target=self.code))
        self.pcc = self.unique(f"{self.key}-pcc")
        self.s.add(Body(
            id=self.pcc, name=f"Office of the Police and Crime Commissioner for {self.pfa_name}",
            kind=BodyKind.pcc_office, tier=Tier.oversight, sources=(_source(LOOKUP),),
            note=(
                "The local policing body: it may assist, monitor and fund the specified authorities under the "
                "Serious Violence Duty, and approves CSP mergers (Police Reform and Social Responsibility Act 2011). "
                "Where a mayor holds the commissioner's functions, a police, fire and crime commissioner also "
                "governs fire, or (in the City of London) the Common Council is the police authority, rename it."
            ),
        ))
        self.s.add(Relation(kind=R.serves, source=self.pcc, target=self.code))

    def _add_fire(self) -> None:
        lines = {lad: line for lad, (_, _, line) in self.table.lads.items()}
        self.fire_by_unit: dict[str, str] = {}
        made: dict[str, str] = {}
        for unit in self.units:
            area = self.s.area(unit)
            f = _fire_for(unit, area.name, lines.get(unit, 0), self.fire_of, self.by_gss, self.files)
            if f.code not in made:
                id_, name = _fire_body(f)
                made[f.code] = self.unique(id_)
                self.s.add(Body(
                    id=made[f.code], name=name, kind=BodyKind.fire_and_rescue_authority, gss=f.code,
                    duties=AGENCY_DUTIES, sources=(_source(FIRE),),
                    note=(
                        f"The fire and rescue authority of ONS FRA {f.code} ({f.name}, December 2019). Check who "
                        "the authority is today (a combined fire authority, the county council, or a police, fire "
                        "and crime commissioner) and any change since 2019."
                    ),
                ))
            self.fire_by_unit[unit] = made[f.code]
            note = f"{area.name} takes its {f.how} (mySociety successions)." if f.how else None
            self.s.add(Relation(
                kind=R.serves, source=made[f.code], target=unit, note=note,
                sources=(_source(FIRE), _source(COUNCILS)) if f.how else (),
            ))
        self.fires = sorted(made.values())

    def _add_health_and_probation(self) -> None:
        wales = self.code.startswith("W")
        self.icb = self.unique(f"{self.key}-icb")
        if wales:
            name = f"Local health board for {self.pfa_name} (to confirm)"
            what = (
                "replace this with the local health board(s) serving each area (in Wales the health board is the "
                "specified authority and CSP responsible authority)."
            )
        else:
            name = f"NHS integrated care board for {self.pfa_name} (to confirm)"
            what = (
                "replace this with the integrated care board(s) serving each district and unitary (several ICBs "
                "merged on 1 April 2026)."
            )
        self.s.add(Body(
            id=self.icb, name=name, kind=BodyKind.integrated_care_board, duties=AGENCY_DUTIES,
            note=f"{DRAFT} {what} A placeholder for the force area: no public lookup from districts to ICBs is bundled.",
        ))
        self.s.add(Relation(kind=R.serves, source=self.icb, target=self.code))
        self.probation = self.unique(f"{self.key}-probation")
        self.s.add(Body(
            id=self.probation, name=f"Probation Service region for {self.pfa_name} (to confirm)",
            kind=BodyKind.probation_service, duties=AGENCY_DUTIES,
            note=(
                f"{DRAFT} replace this with the Probation Service region (and delivery units) serving the force "
                "area. A placeholder: no public lookup of probation regions is bundled."
            ),
        ))
        self.s.add(Relation(kind=R.serves, source=self.probation, target=self.code))

    def _add_youth_justice(self) -> None:
        self.yjs_of: dict[str, str] = {}
        for la in self.local:
            area = self.s.area(la)
            council = self.council_of.get(la)
            id_ = self.unique(f"{slug(_display(area.name))}-yjs")
            self.s.add(Body(
                id=id_, name=f"{_display(area.name)} Youth Justice Service", kind=BodyKind.youth_justice_service,
                duties=frozenset({Duty.serious_violence_duty}),
                note=(
                    f"{DRAFT} confirm the service's name and whether it is shared with a neighbour. Each upper-tier "
                    "council establishes a youth offending team, alone or jointly (Crime and Disorder Act 1998 "
                    "s.39); a Serious Violence Duty specified authority, not a CSP responsible authority."
                ),
            ))
            self.s.add(Relation(kind=R.serves, source=id_, target=la))
            if council:
                self.s.add(Relation(kind=R.accountable_to, source=id_, target=council))
            self.yjs_of[la] = id_

    def _local_of(self, unit: str) -> str:
        return next(a for a in [unit, *self.s.ancestors(unit)] if a in self.local)

    def _add_csps(self) -> None:
        labels_of = {u: self.table.csps[u] for u in self.units}
        # labels that share a council (one made by a reorganisation) are one partnership
        group: dict[str, str] = {}

        def find(x: str) -> str:
            while group.setdefault(x, x) != x:
                x = group[x]
            return x

        for labels in labels_of.values():
            for other in labels[1:]:
                group[find(other)] = find(labels[0])
        members: dict[str, set[str]] = defaultdict(set)
        for unit, labels in labels_of.items():
            members[find(labels[0])].add(unit)
        self.csp_of: dict[str, str] = {}
        for root in sorted(members, key=lambda r: sorted(members[r])):
            units = sorted(members[root])
            labels = sorted({c for u in units for c in labels_of[u]})
            label_names = [_display(self.table.csp_names[c]) for c in labels]
            if len(labels) == 1:
                base = label_names[0]
            elif len(units) == 1:
                base = _display(self.s.area(units[0]).name)
            else:
                base = " and ".join(_display(self.s.area(u).name) for u in units)
            id_ = self.unique(f"{slug(base)}-csp")
            name = f"{base} Community Safety Partnership"
            places = ", ".join(f"{self.s.area(u).name} ({u})" for u in units)
            legacy = (
                f" ONS still maps it to {len(labels)} CSP areas ({', '.join(f'{n} {c}' for n, c in zip(label_names, labels, strict=True))}),"
                " taken here as one partnership for the council made by a reorganisation."
                if len(labels) > 1 else ""
            )
            self.s.add(Body(
                id=id_, name=name, kind=BodyKind.community_safety_partnership, tier=Tier.local,
                gss=labels[0] if len(labels) == 1 else None,
                attributes={"ons_csp_codes": " ".join(labels)},
                strategies=(Strategy(
                    title=f"{base} Serious Violence Strategy",
                    start=FIRST_STRATEGIES_DUE,
                    source="Draft: dated by the statutory deadline for first strategies, not a checked publication",
                ),),
                sources=(_source(LOOKUP),),
                note=(
                    f"{DRAFT} confirm the partnership's name, its footprint and who discharges the Serious Violence "
                    f"Duty. Made from the ONS CSP area(s) for {places}: statistical labels frozen since 2017, not a "
                    "register of live partnerships (joint and merged CSPs are common), and the CSP is assumed to "
                    "discharge the Duty, which a countywide partnership may do instead. Its strategy is dated "
                    f"2024-01-31, the statutory deadline for first strategies, not a checked publication.{legacy}"
                ),
            ))
            for u in units:
                self.csp_of[u] = id_
                self.s.add(Relation(kind=R.covers, source=id_, target=u))
                self.s.add(Relation(kind=R.discharges, source=id_, target=u))
            self._add_members(id_, units)

    def _add_members(self, csp: str, units: list[str]) -> None:
        statutory: set[str] = {self.police, self.icb, self.probation}
        coopted: set[str] = set()
        for u in units:
            statutory |= {b.id for b in self.s.serving(u) if b.kind in COUNCIL_KINDS}
            statutory.add(self.fire_by_unit[u])
            coopted.add(self.yjs_of[self._local_of(u)])
        for body in sorted(statutory):
            self.s.add(Relation(kind=R.member_of, source=body, target=csp, role="statutory"))
        for body in sorted(coopted):
            self.s.add(Relation(kind=R.member_of, source=body, target=csp, role="co-opted"))

    def _add_board(self) -> None:
        board = self.unique(f"{self.key}-board")
        self.s.add(Body(
            id=board, name=f"{self.pfa_name} Serious Violence Strategy Board", kind=BodyKind.strategy_board,
            tier=Tier.strategic,
            note=(
                f"{DRAFT} confirm the board (a violence reduction unit's board, the PCC's partnership board or a "
                "countywide board), its name and members. Modelled on the Thames Valley VPP Strategy Board: one "
                "seat per upper-tier local area, held by the partnership for it, and a seat per duty holder "
                "serving the force area."
            ),
        ))
        s = self.s
        s.add(Relation(kind=R.accountable_to, source=board, target=self.pcc))
        agencies = [self.police, *self.fires, self.icb, self.probation]
        for body in [self.pcc, *agencies]:
            s.add(Relation(kind=R.member_of, source=body, target=board, role="statutory"))
        for la in self.local:
            csps = {self.csp_of[u.id] for u in s.units() if la in (u.id, *s.ancestors(u.id))}
            one = sorted(csps)[0] if len(csps) == 1 and self._covers_only(sorted(csps)[0], la) else None
            holder = one or self.council_of[la]
            why = (
                "held by its CSP, the partnership for it"
                if one else
                "held by the council until the partnership that represents the area (a countywide partnership or "
                "the district CSPs together) is confirmed"
            )
            s.add(Relation(
                kind=R.seat, source=holder, target=board, area=la, role="representative",
                note=f"{DRAFT} the seat for {s.area(la).name}, {why}.",
            ))
        for body in agencies:
            s.add(Relation(kind=R.seat, source=body, target=board, role="duty_holder"))

    def _covers_only(self, csp: str, la: str) -> bool:
        """Whether a CSP covers exactly the units of one local area (a unitary's own CSP)."""
        covered = {r.target for r in self.s.relations(R.covers, source=csp)}
        within = {u.id for u in self.s.units() if la in (u.id, *self.s.ancestors(u.id))}
        return covered == within
