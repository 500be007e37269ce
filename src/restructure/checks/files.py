"""Checking what a planner names on the command line: a structure file or ref, or a scenario.

Which dates are checked:

* a **scenario**: every effective date of its phases and the day before each
  (a gap that exists only between two phases shows), or only ``as_of`` and the
  day before it;
* a **structure** (file or stored ref): ``as_of`` if given; otherwise today
  and every later date on which something in it starts or ends (a scheduled
  change such as an ICB merger), with the day before each of those. Past dates
  are history: check them with ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .config import Config
from .engine import Report, _check_dates, change_dates, check_timeline
from .snapshot import Records

__all__ = ["check_path", "check_scenario", "check_structure", "structure_dates"]


def structure_dates(structure, today: dt.date) -> list[dt.date]:
    """Today and every later change date of a structure, sorted.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.structure import Structure
    >>> s = Structure.from_yaml("bodies: [{id: p, name: P, kind: other, start: 2020-04-01, end: 2028-04-01}]")
    >>> [d.isoformat() for d in structure_dates(s, dt.date(2026, 11, 25))]
    ['2026-11-25', '2028-04-01']
    """
    return _later(change_dates(structure), today)


def _later(dates: list[dt.date], today: dt.date) -> list[dt.date]:
    return sorted({today, *(d for d in dates if d > today)})


def check_structure(
    structure,
    *,
    as_of: dt.date | None = None,
    base=None,
    config: Config | None = None,
    today: dt.date | None = None,
) -> Report:
    """Check a structure on ``as_of``, or today and its later change dates (see the module notes)."""
    if as_of is not None:
        return check_timeline(structure, [as_of], config, base=base, day_before=False)
    today = today or dt.date.today()
    # the records are read once: for the change dates here and for every snapshot after
    shared = {"records": Records(structure)}
    dates = _later(shared["records"].dates, today)
    # the day before a later change, not the day before today
    checked = sorted({today, *(d for x in dates[1:] for d in (x - dt.timedelta(days=1), x))})
    return _check_dates(structure, checked, config, base=base, subject=None, shared=shared)


def check_scenario(
    scenario,
    *,
    base=None,
    as_of: dt.date | None = None,
    config: Config | None = None,
    db: str | None = None,
) -> Report:
    """Apply a scenario (a file or a loaded one) to its base (or ``base``) and check its timeline.

    Raises
    ------
    RestructureError
        The scenario cannot be loaded or applied (located by file, line, phase and operation).
    """
    from ..apply import run_scenario

    outcome = run_scenario(scenario, base, db=db)
    dates = [as_of] if as_of is not None else outcome.dates
    return check_timeline(outcome.structure, dates, config, subject=outcome.scenario.name)


def check_path(
    path: str,
    *,
    base: str | None = None,
    as_of: dt.date | None = None,
    config: Config | None = None,
    today: dt.date | None = None,
    db: str | None = None,
) -> Report:
    """Check a scenario file, a structure file or a stored ref: what ``restructure check`` does.

    A YAML file with top-level ``phases`` is a scenario; any other file is a
    structure; a name that is not a file is looked up in the version store.
    ``base`` (a file or ref) is the scenario's base, or for a structure the
    structure to compare with on the first checked date.
    """
    from ..refs import classify, load_structure

    named = classify(path)  # the YAML read to tell a scenario from a structure is the one loaded
    if named.kind == "scenario":
        return check_scenario(path, base=base, as_of=as_of, config=config, db=db)
    structure = load_structure(named, db=db)
    del named  # the parsed file: not needed while checking
    before = load_structure(base, db=db) if base is not None else None
    report = check_structure(structure, as_of=as_of, base=before, config=config, today=today)
    if not report.subject:
        report = Report(Path(path).name, report.dates, report.findings)
    return report
