"""Importing ONS LAD -> CSP -> PFA lookups: real 2017 and 2023 files, year prefixes, BOM, bad files."""

from __future__ import annotations

import datetime as dt

import pytest

from restructure.data import ONS as ONS_ATTRIBUTION
from restructure.errors import ImportFailed
from restructure.io.ons import add_small_areas, council_id, import_ons, read_lookup, slug
from restructure.model import AreaKind, BodyKind, Relation
from restructure.structure import Structure

TV_UNITS_2017 = [
    "E06000036", "E06000037", "E06000038", "E06000039", "E06000040", "E06000041", "E06000042",
    "E07000004", "E07000005", "E07000006", "E07000007",
    "E07000177", "E07000178", "E07000179", "E07000180", "E07000181",
]


@pytest.fixture(scope="module")
def ons(data_dir):
    return data_dir / "ons"


@pytest.fixture(scope="module")
def mysociety(data_dir):
    return data_dir / "mysociety"


@pytest.fixture(scope="module")
def ew2017(ons, mysociety):
    return import_ons(ons / "LAD17_CSP17_PFA17_EW_LU.csv", counties_path=mysociety / "uk_local_authorities_future.csv")


@pytest.fixture(scope="module")
def ew2023(ons):
    return import_ons(ons / "LAD23_CSP23_PFA23_EW_LU.csv", counties_path=ons / "LAD21_CTY21_EN_LU.csv")


def _write(path, text: str, bom: bool = True) -> str:
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return str(path)


def test_whole_of_england_and_wales_2017(ew2017):
    assert len(ew2017.units()) == 348
    assert len(list(ew2017.areas(kind=AreaKind.police_force_area))) == 43
    assert len(list(ew2017.areas(kind=AreaKind.statistical))) == 314
    # 27 shire counties in January 2017 (Buckinghamshire, Dorset, Northamptonshire among them)
    counties = {a.id for a in ew2017.areas(kind=AreaKind.county)}
    assert len(counties) == 27 and {"E10000002", "E10000009", "E10000021"} <= counties


def test_whole_of_england_and_wales_2023(ew2023):
    assert len(ew2023.units()) == 318
    assert len(list(ew2023.areas(kind=AreaKind.police_force_area))) == 43
    assert len(list(ew2023.areas(kind=AreaKind.county))) == 21
    councils = list(ew2023.bodies())
    assert len(councils) == 318 + 21
    assert all(b.gss and ew2023.area(b.gss) for b in councils)


def test_thames_valley_has_its_districts(ons, mysociety):
    s = import_ons(
        ons / "LAD17_CSP17_PFA17_EW_LU.csv", pfa="thames valley", counties_path=mysociety / "uk_local_authorities_future.csv"
    )
    assert [a.id for a in s.units()] == TV_UNITS_2017
    assert [a.name for a in s.local_areas()] == [
        "Bracknell Forest", "West Berkshire", "Reading", "Slough", "Windsor and Maidenhead", "Wokingham",
        "Milton Keynes", "Buckinghamshire", "Oxfordshire",
    ]
    assert s.parents("E07000177")[0] == "E10000025"  # Cherwell in Oxfordshire
    assert s.parents("E10000025") == ["E23000029"]
    assert s.body("buckinghamshire-county-council").kind == BodyKind.county_council
    assert [b.id for b in s.councils("E07000004")] == ["aylesbury-vale-council", "buckinghamshire-county-council"]
    by_code = import_ons(ons / "LAD17_CSP17_PFA17_EW_LU.csv", pfa="E23000029")
    assert [a.id for a in by_code.units()] == TV_UNITS_2017


def test_thames_valley_2023(ons):
    s = import_ons(ons / "LAD23_CSP23_PFA23_EW_LU.csv", pfa="Thames Valley", counties_path=ons / "LAD21_CTY21_EN_LU.csv")
    assert [a.name for a in s.units()] == [
        "Bracknell Forest", "West Berkshire", "Reading", "Slough", "Windsor and Maidenhead", "Wokingham",
        "Milton Keynes", "Buckinghamshire", "Cherwell", "Oxford", "South Oxfordshire", "Vale of White Horse",
        "West Oxfordshire",
    ]
    assert len(s.local_areas()) == 9


def test_many_to_many_csp_areas(ew2023):
    # Buckinghamshire maps to the four legacy CSP codes: statistical areas, not partnerships
    csps = [p for p in ew2023.parents("E06000060") if ew2023.area(p).kind == AreaKind.statistical]
    assert csps == ["E22000303", "E22000306", "E22000311", "E22000318"]
    assert {ew2023.area(c).name for c in csps} == {"Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe"}
    assert not list(ew2023.bodies(kind=BodyKind.community_safety_partnership))
    many = sorted(u.id for u in ew2023.units() if sum(ew2023.area(p).kind == AreaKind.statistical for p in ew2023.parents(u.id)) > 1)
    assert many == ["E06000058", "E06000060", "E06000061", "E06000062", "E06000063", "E06000064", "E07000244"]


def test_statistical_ancestors_leave_units_and_local_areas_alone(ew2017):
    # A district has a statistical CSP area among its ancestors; units/local areas ignore it.
    assert "E22000303" in ew2017.ancestors("E07000004")
    without = ew2017.copy()
    for rel in list(without.relations("within")):
        if without.area(rel.target).kind == AreaKind.statistical:
            without.remove(rel)
    assert [a.id for a in ew2017.units()] == [a.id for a in without.units()]
    assert [a.id for a in ew2017.local_areas()] == [a.id for a in without.local_areas()]
    # in YAML, one within link is the parent shorthand and the other a relation; both read back
    data = ew2017.to_dict()
    within = {(r["source"], r["target"]) for r in data["relations"] if r["kind"] == "within"}
    parent = {a["id"]: a.get("parent") for a in data["areas"]}
    assert {(("E07000004", parent["E07000004"])), *[w for w in within if w[0] == "E07000004"]} == {
        ("E07000004", "E10000002"), ("E07000004", "E22000303")
    }
    assert Structure.from_dict(data).parents("E07000004") == ["E10000002", "E22000303"]


def test_statistical_area_would_hide_a_district_if_it_were_a_unitary(ew2017):
    # The check above is meaningful: an ancestor of a local-government kind does hide a unit.
    s = ew2017.copy()
    s.replace(s.area("E22000303"), s.area("E22000303").model_copy(update={"kind": AreaKind.unitary}))
    assert "E07000004" not in [a.id for a in s.units()]


def test_round_trips_through_yaml(ons, mysociety, tmp_path):
    s = import_ons(ons / "LAD23_CSP23_PFA23_EW_LU.csv", pfa="Suffolk")
    s.save(tmp_path / "suffolk.yaml")
    assert Structure.load(tmp_path / "suffolk.yaml") == s


def test_mysociety_county_error_is_corrected_by_the_ons_code(ew2017):
    fh = ew2017.area("E07000201")
    assert ew2017.parents("E07000201")[0] == "E10000029"  # Suffolk, not Surrey
    assert "SRY" in fh.note and "42UC" in fh.note


def test_metropolitan_districts_and_london_boroughs(ew2023):
    assert ew2023.area("E08000025").kind == AreaKind.unitary  # Birmingham: single-tier, so its own local area
    assert "single-tier" in ew2023.area("E08000025").note
    west_midlands = [a.id for a in ew2023.local_areas() if a.id.startswith("E08") and "E23000014" in ew2023.ancestors(a.id)]
    assert len(west_midlands) == 7  # Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall, Wolverhampton
    # City of London: in its police force area directly, no county (Inner London has no council)
    kinds = sorted(ew2023.area(p).kind.value for p in ew2023.parents("E09000001"))
    assert kinds == ["police_force_area", "statistical"]


def test_year_prefix_detected_and_bom_optional(tmp_path):
    text = (
        "FID,LAD99CD,LAD99NM,CSP99CD,CSP99NM,PFA99CD,PFA99NM\n"
        "1,E07000177,Cherwell,E22000305,Cherwell,E23000029,Thames Valley\n"
        "2,E06000038,Reading,E22000309,Reading,E23000029,Thames Valley\n"
    )
    for bom in (True, False):
        path = _write(tmp_path / f"lk{bom}.csv", text, bom)
        lk = read_lookup(path)
        assert lk.year == "99"
        s = import_ons(path)
        assert [a.id for a in s.units()] == ["E06000038", "E07000177"]
        assert s.name == "England and Wales from ONS 2099"


def test_missing_column(tmp_path):
    path = _write(tmp_path / "bad.csv", "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17NM\nE06000038,Reading,E22000309,Reading,TV\n")
    with pytest.raises(ImportFailed) as exc:
        import_ons(path)
    assert str(exc.value) == (
        f"{path}:1: missing column PFAyyCD (columns are: LAD17CD, LAD17NM, CSP17CD, CSP17NM, PFA17NM). "
        "Use an unchanged ONS or mySociety download."
    )


def test_district_in_two_police_force_areas(tmp_path):
    path = _write(
        tmp_path / "two.csv",
        "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM\n"
        "E06000038,Reading,E22000309,Reading,E23000029,Thames Valley\n"
        "E07000177,Cherwell,E22000305,Cherwell,E23000029,Thames Valley\n"
        "E06000038,Reading,E22000310,Slough,E23000030,Hampshire\n",
    )
    with pytest.raises(ImportFailed) as exc:
        import_ons(path)
    assert exc.value.line == 4
    assert str(exc.value).startswith(
        f"{path}:4: district E06000038 (Reading) lies in two police force areas: E23000029 (line 2) and E23000030."
    )
    assert "\n" not in str(exc.value)


def test_unknown_police_force_area(ons):
    with pytest.raises(ImportFailed, match=r"no police force area 'Thames Vally'.*Did you mean 'Thames Valley'\?"):
        import_ons(ons / "LAD17_CSP17_PFA17_EW_LU.csv", pfa="Thames Vally")


def test_county_in_two_police_force_areas(tmp_path):
    lookup = _write(
        tmp_path / "lk.csv",
        "LAD21CD,LAD21NM,CSP21CD,CSP21NM,PFA21CD,PFA21NM\n"
        "E07000177,Cherwell,E22000305,Cherwell,E23000029,Thames Valley\n"
        "E07000084,Basingstoke,E22000374,North Hampshire,E23000030,Hampshire\n",
    )
    counties = _write(
        tmp_path / "cty.csv",
        "FID,LAD21CD,LAD21NM,CTY21CD,CTY21NM\n1,E07000177,Cherwell,E10000025,Oxfordshire\n"
        "2,E07000084,Basingstoke,E10000025,Oxfordshire\n",
    )
    with pytest.raises(ImportFailed, match=r"county E10000025 \(Oxfordshire\) would lie in two police force areas"):
        import_ons(lookup, counties_path=counties)


def test_missing_file(tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        import_ons(tmp_path / "nope.csv")


def test_small_areas(ons, mysociety):
    s = import_ons(ons / "LAD23_CSP23_PFA23_EW_LU.csv", pfa="Thames Valley")
    n = add_small_areas(s, mysociety / "lookup_lsoa_to_registry.csv", mysociety / "uk_local_authorities_future.csv")
    small = list(s.areas(kind=AreaKind.small_area))
    assert n == len(small) > 1000
    assert all(a.id.startswith("E01") for a in small)
    # small areas lie within a unit and are not units themselves
    assert len(s.units()) == 13
    reading = s.children("E06000038", dt.date(2024, 1, 1))
    assert reading and all(c.startswith(("E01", "E22")) for c in reading)


def test_progress_is_reported(ons):
    seen = []
    import_ons(ons / "LAD23_CSP23_PFA23_EW_LU.csv", progress=seen.append)
    assert sum(seen) == 332


def test_ids():
    assert slug("Bournemouth, Christchurch and Poole") == "bournemouth-christchurch-and-poole"
    assert council_id("St. Helens") == "st-helens-council"
    assert Relation(kind="within", source="E07000004", target="E22000303").target == "E22000303"


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFailed, match=r"empty.csv:1: the file is empty"):
        import_ons(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM\nW06000001,Ynys M\xf4n,W14000001,X,W15000001,Y\n")
    with pytest.raises(ImportFailed, match=r"latin.csv:\d: not UTF-8 text. Save the file as UTF-8."):
        import_ons(latin)


def test_any_year_and_row_order_give_the_same_structure(ons, tmp_path_factory):
    """Property: the year in the column names and the order of rows change nothing but the name."""
    import csv as _csv

    from hypothesis import given, settings
    from hypothesis import strategies as st

    with open(ons / "LAD23_CSP23_PFA23_EW_LU.csv", encoding="utf-8-sig", newline="") as f:
        rows = [r for r in _csv.reader(f)][1:]
    rows = [r for r in rows if r[4] in ("E23000029", "E23000022")]  # Thames Valley, Northamptonshire
    folder = tmp_path_factory.mktemp("prop")
    reference = None

    @settings(max_examples=30, deadline=None)
    @given(year=st.integers(0, 99), order=st.permutations(range(len(rows))), bom=st.booleans())
    def check(year, order, bom):
        nonlocal reference
        yy = f"{year:02d}"
        head = ",".join(f"{c}{yy}{k}" for c in ("LAD", "CSP", "PFA") for k in ("CD", "NM")) + ",ObjectId\n"
        body = "".join(_csv_line(rows[i]) for i in order)
        path = _write(folder / f"lk{yy}.csv", head + body, bom)
        s = import_ons(path)
        data = s.to_dict()
        assert data.pop("sources") == [f"ONS LAD{yy} to CSP to PFA lookup: lk{yy}.csv", ONS_ATTRIBUTION]
        data.pop("name")
        if reference is None:
            reference = data
        assert data == reference
        assert s.name.endswith(f"ONS 20{yy}")

    check()


def _csv_line(row) -> str:
    import csv as _csv
    import io

    out = io.StringIO()
    _csv.writer(out, lineterminator="\n").writerow(row)
    return out.getvalue()
