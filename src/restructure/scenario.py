"""Scenario files: a named sequence of dated phases of operations.

A scenario is YAML validated by pydantic. Loading keeps where each
operation came from (file and line, also through ``extends``), so an
operation that cannot be applied is reported as
``file:line: phase P, operation N: what``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .errors import ValidationFailed
from .io import yamlfile
from .model import Basis
from .operations import OPERATIONS, Operation
from .text import Name, Text

__all__ = ["Scenario", "Phase", "Expected", "load_scenario", "resolve_base", "json_schema", "is_scenario"]

yamlfile.register_tags(OPERATIONS)


class Expected(BaseModel):
    """What the scenario's authors expect at the end; tests assert it."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    on: dt.date | None = None
    """The date to evaluate; by default the last phase's date."""
    csps: int | None = None
    """Community safety partnerships (bodies covering areas) in force."""
    board_seats: int | None = None
    """Strategy Board seats for local areas."""
    local_areas: int | None = None
    """Upper-tier local areas (counties and unitaries)."""
    units: int | None = None
    """Districts and unitaries (units of Serious Violence Duty coverage)."""
    councils: int | None = None
    bodies_created: int | None = None
    bodies_dissolved: int | None = None
    members_missing: int | None = None
    """Required members (CDA 1998 s.5; PCSC Act 2022 Sch.1) missing from CSPs and Duty partnerships."""
    members_superfluous: int | None = None
    """Statutory members serving none of their partnership's area."""
    findings: dict[str, int] = Field(default_factory=dict)
    """Number of findings by severity over the whole timeline (``error``, ``warning``, ``info``)."""
    finding_codes: tuple[str, ...] = ()
    """Rule codes that must be among the findings (the gaps the scenario is meant to show)."""


class Phase(BaseModel):
    """A step of a scenario: operations that take effect on one date."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    name: Name
    date: dt.date
    """The effective date (vesting day, a CSP merger's start)."""
    description: Text | None = None
    sources: tuple[str, ...] = ()
    basis: Basis | None = None
    """The legal basis of the phase's operations (an operation's own ``basis`` overrides it)."""
    operations: list[Operation] = Field(default_factory=list)

    # where the phase came from (its file's document and index), for error lines
    _doc: Any = PrivateAttr(default=None)
    _index: int = PrivateAttr(default=0)


class Scenario(BaseModel):
    """A restructure scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    name: Name
    description: Text | None = None
    base: str | None = None
    """The structure it applies to: a file (relative to the scenario) or a stored ref."""
    extends: str | None = None
    """Another scenario whose phases come first (relative path)."""
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    """What the scenario assumes that is not confirmed (e.g. the vesting date)."""
    expected: Expected | None = None
    phases: list[Phase] = Field(default_factory=list)

    _file: str | None = PrivateAttr(default=None)

    @property
    def file(self) -> str | None:
        """The file it was loaded from."""
        return self._file

    @property
    def dates(self) -> list[dt.date]:
        return sorted({p.date for p in self.phases})

    def locate(self, phase: Phase, op_index: int | None = None) -> tuple[str | None, int | None]:
        """File and line of a phase, or of its ``op_index``-th operation (1-based)."""
        doc = phase._doc
        if doc is None:
            return self._file, None
        path: list = ["phases", phase._index]
        if op_index is not None:
            path += ["operations", op_index - 1]
        return doc.file, doc.line_of(path)

    def plan(self) -> list[str]:
        """Each operation as one readable line, in the order it will run."""
        lines = []
        for phase in self.phases:
            lines.append(f"{phase.date}  {phase.name}")
            if phase.basis is not None:
                lines.append(f"       basis: {phase.basis.label()}")
            for i, op in enumerate(phase.operations, start=1):
                lines.append(f"  {i:>3}. {op.summary()}")
                if op.basis is not None:
                    lines.append(f"       basis: {op.basis.label()}")
        return lines


def is_scenario(data: Any) -> bool:
    """Whether parsed YAML looks like a scenario (it has ``phases``) rather than a structure."""
    return isinstance(data, dict) and "phases" in data


def _load(path: Path, seen: tuple[Path, ...]) -> Scenario:
    doc = yamlfile.load(path)
    data = doc.data
    if not isinstance(data, dict):
        raise ValidationFailed("a scenario file must be a mapping with name and phases", file=doc.file, line=1)
    if "phases" not in data and ("areas" in data or "bodies" in data):
        raise ValidationFailed(
            "this is a structure file, not a scenario", "Pass it as --base, or use `restructure show`",
            file=doc.file, line=1,
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise yamlfile.validation_error(exc, doc) from None
    scenario._file = doc.file
    for i, phase in enumerate(scenario.phases):
        phase._doc, phase._index = doc, i
    phases = own_phases = list(scenario.phases)
    if scenario.extends:
        parent_path = path.parent / scenario.extends
        if parent_path.resolve() in seen:
            raise ValidationFailed(
                f"'extends' goes round in a circle: {' -> '.join(p.name for p in (*seen, parent_path))}",
                file=doc.file, line=doc.line_of(["extends"]),
            )
        if not parent_path.exists():
            raise ValidationFailed(
                f"extends '{scenario.extends}': no such file", file=doc.file, line=doc.line_of(["extends"])
            )
        parent = _load(parent_path, (*seen, parent_path.resolve()))
        # Effective dates order the phases; on the same date the parent's come first (stable sort).
        phases = sorted(list(parent.phases) + phases, key=lambda p: p.date)
        updates: dict[str, Any] = {"phases": phases}
        if scenario.base is None and parent.base is not None:
            # the parent's base is relative to the parent's file
            from .refs import is_file_ref

            if not is_file_ref(parent.base, relative_to=parent_path.parent):
                updates["base"] = parent.base
            else:
                updates["base"] = _relative(str(parent_path.parent / parent.base), path.parent)
        merged = scenario.model_copy(update=updates)
        merged._file = doc.file
        scenario = merged
    for prev, nxt in zip(own_phases, own_phases[1:], strict=False):
        if nxt.date < prev.date:
            f, line = scenario.locate(nxt)
            raise ValidationFailed(
                f"dates out of order: phase '{nxt.name}' ({nxt.date}) comes after phase "
                f"'{prev.name}' ({prev.date})",
                "Order phases by effective date",
                file=f, line=doc.line_of(["phases", nxt._index, "date"]) if nxt._doc is doc else line,
            )
    return scenario


def _relative(target: str, start: Path) -> str:
    try:
        return str(Path(target).resolve().relative_to(start.resolve()))
    except ValueError:
        import os

        return os.path.relpath(Path(target).resolve(), start.resolve())


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (and the scenarios it extends).

    Parameters
    ----------
    path : str or Path
        A scenario YAML file. Its ``base`` and ``extends`` are relative to it.

    Returns
    -------
    Scenario
        With the phases of any scenario it extends merged in by date; each
        phase remembers its file and line for error messages.

    Raises
    ------
    ValidationFailed
        One line with the file and line: unknown operation or field, missing
        field, phases out of date order, a circular ``extends``.

    Examples
    --------
    >>> from restructure.baseline import SCENARIOS
    >>> s = load_scenario(SCENARIOS / "oxfordshire" / "csp-merge.yaml")
    >>> s.phases[0].date.year >= 2026
    True
    """
    path = Path(path)
    return _load(path, (path.resolve(),))


def resolve_base(scenario: Scenario, base=None, db: str | None = None):
    """The structure a scenario applies to: ``base`` if given, else the scenario's own.

    Parameters
    ----------
    scenario : Scenario
        The loaded scenario.
    base : Structure, str or Path, optional
        A structure, or a name for one (see :func:`restructure.refs.load_structure`)
        read from the working directory. Default: the scenario's ``base:``,
        a file read from the scenario's folder or a stored ref.
    db : str, optional
        The store's URL, when the base is a stored ref (or a scenario whose base is).

    Returns
    -------
    Structure
        The base with all its dates (a scenario named as the base stands for its result).

    Raises
    ------
    ValidationFailed
        No base named, or a base file that is missing or invalid.
    StoreError
        A stored ref that cannot be found.
    """
    from .refs import is_file_ref, load_structure
    from .structure import Structure

    if isinstance(base, Structure):
        return base
    ref = base if base is not None else scenario.base
    if ref is None:
        raise ValidationFailed(
            "the scenario names no base structure", "Give --base FILE|REF or a 'base:' in the scenario",
            file=scenario.file,
        )
    folder = Path(scenario.file).parent if base is None and scenario.file else None
    if not (Path(folder or ".") / ref).exists() and is_file_ref(ref, relative_to=folder):
        raise ValidationFailed(
            f"base '{ref}': no such file", "Check the path (relative to the scenario file)", file=scenario.file
        )
    return load_structure(ref, db=db, relative_to=folder)


def json_schema() -> str:
    """The JSON Schema of scenario files, for editors' YAML language servers."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "restructure scenario"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
