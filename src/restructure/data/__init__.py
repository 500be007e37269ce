"""The public lookup tables that ship with restructure (ONS and mySociety), byte for byte.

Each file's publisher, edition, licence, attribution and sha256 are in ``README.md`` beside this
module; :data:`ATTRIBUTION` holds the lines every imported structure cites in its ``sources:``.

Examples
--------
>>> path("ons/LAD23_CSP23_PFA23_EW_LU.csv").name
'LAD23_CSP23_PFA23_EW_LU.csv'
>>> sorted(FILES)[:2]
['mysociety/lookup_lsoa_to_registry.csv', 'mysociety/uk_local_authorities_future.csv']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["ATTRIBUTION", "COUNTY_LOOKUPS", "FILES", "MYSOCIETY", "ONS", "ONS_LOOKUPS", "SMALL_AREAS", "COUNCILS", "path"]

ONS = "Source: Office for National Statistics licensed under the Open Government Licence v3.0"
MYSOCIETY = "Source: mySociety, uk_local_authority_names_and_codes, licensed under CC BY 4.0"

#: Bundled file (relative to this package) -> the attribution its licence requires.
FILES: dict[str, str] = {
    "ons/LAD17_CSP17_PFA17_EW_LU.csv": ONS,
    "ons/LAD19_FRA19_EW_LU.csv": ONS,
    "ons/LAD21_CTY21_EN_LU.csv": ONS,
    "ons/LAD23_CSP23_PFA23_EW_LU.csv": ONS,
    "mysociety/uk_local_authorities_future.csv": MYSOCIETY,
    "mysociety/lookup_lsoa_to_registry.csv": MYSOCIETY,
}

#: Edition year -> the bundled ONS LAD -> CSP -> PFA lookup of that year.
ONS_LOOKUPS: dict[int, str] = {
    2017: "ons/LAD17_CSP17_PFA17_EW_LU.csv",
    2023: "ons/LAD23_CSP23_PFA23_EW_LU.csv",
}

#: Edition year -> the bundled district-to-county lookup that fits it: for 2017 mySociety's councils table,
#: which also knows the districts abolished since; for 2023 the ONS April 2021 lookup (no district was
#: created between the two).
COUNTY_LOOKUPS: dict[int, str] = {
    2017: "mysociety/uk_local_authorities_future.csv",
    2023: "ons/LAD21_CTY21_EN_LU.csv",
}

#: mySociety's small areas (LSOA -> council) and its councils table (council -> GSS code, successors).
SMALL_AREAS = "mysociety/lookup_lsoa_to_registry.csv"
COUNCILS = "mysociety/uk_local_authorities_future.csv"

#: The two attributions, in the order a ``sources:`` list gives them.
ATTRIBUTION: tuple[str, ...] = (ONS, MYSOCIETY)


def path(name: str) -> Path:
    """The path of a bundled data file.

    Parameters
    ----------
    name : str
        The file relative to the data package, e.g. ``"ons/LAD19_FRA19_EW_LU.csv"``.

    Returns
    -------
    pathlib.Path
        A real file on disk (the package is installed from a directory, never a zip).

    Raises
    ------
    KeyError
        When ``name`` is not one of :data:`FILES`.
    """
    if name not in FILES:
        raise KeyError(f"{name!r} is not a bundled data file; bundled: {', '.join(sorted(FILES))}")
    return Path(str(resources.files(__name__).joinpath(name)))
