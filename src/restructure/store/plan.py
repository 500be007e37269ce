"""Committing a scenario to a branch, as a plan and its execution (``restructure apply --branch``).

The twins follow :meth:`Store.plan_revert` / :meth:`Store.revert`:
:func:`plan_scenario_commit` works out everything (where the branch starts,
applying the scenario again on the branch's latest version when it was run on
something else, the checks, one version per phase) and writes nothing;
:func:`commit_planned` writes exactly that plan, or nothing. ``--dry-run``
prints the plan; the real run commits it, so the two cannot diverge, and a
notebook gets the same behaviour as the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError, count
from ..structure import Structure

__all__ = ["PlannedPhase", "ScenarioCommitPlan", "plan_scenario_commit", "commit_planned"]


@dataclass(frozen=True)
class PlannedPhase:
    """One version to add: a phase of the scenario and the exact edits it makes."""

    name: str
    date: dt.date
    edits: tuple = ()
    """The primitive edits (:mod:`restructure.operations`) the phase resolved into, in order."""
    structure: Structure | None = field(default=None, repr=False, compare=False)
    """The structure after the phase (not part of the plan's data: rebuilt from the edits if absent)."""
    origins: dict = field(default_factory=dict, repr=False, compare=False)
    """Row identity (kind, key) -> :class:`~restructure.store.provenance.RowOrigin`: the operation
    and legal basis behind each row the phase changes (recorded for ``restructure blame``)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data: name, ISO date and the edits as scenario operations."""
        from ..diff.patch import edit_data

        return {"name": self.name, "date": self.date.isoformat(), "edits": [edit_data(e) for e in self.edits]}


@dataclass(frozen=True)
class ScenarioCommitPlan:
    """What :func:`commit_planned` will write: one version per phase on a branch.

    Attributes
    ----------
    branch : str
        The branch the versions go on.
    head : str or None
        The branch's head when the plan was made (``None``: the branch is new).
        Committing refuses if the branch has moved since.
    base_version : str
        The version the first phase goes on top of: ``head``, or where a new
        branch starts.
    scenario : str
        The scenario's name (kept in each version's record).
    scenario_file : str or None
        The scenario's file, when it was loaded from one.
    phases : tuple of PlannedPhase
        Per phase, in order: its name, date and exact edits.
    message : str or None
        Each version's message is ``"<message or scenario>: <phase> (<date>)"``.
    findings : tuple of Finding
        What the checks found on the result; kept with the last version.
    reapplied : bool
        The scenario was run on something other than ``base_version`` and was
        applied again on top of it (so the branch never loses earlier versions).
    applied_on : str or None
        The version the edits apply to (``base_version``), or ``None`` when
        they apply to a structure file given as the base.
    strict : bool
        Refuse to commit when the checks found errors.
    result : Structure or None
        The structure the last phase leaves, as committed (what ``apply -o`` writes beside the
        commit); ``None`` for a plan read back from a file.
    """

    branch: str
    head: str | None
    base_version: str
    scenario: str
    phases: tuple[PlannedPhase, ...]
    message: str | None = None
    findings: tuple = ()
    reapplied: bool = False
    applied_on: str | None = None
    strict: bool = False
    scenario_file: str | None = None
    result: Structure | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> tuple:
        """The error findings."""
        return tuple(f for f in self.findings if f.severity.value == "error")

    def refusal(self) -> StoreError | None:
        """The error committing this plan raises (``strict`` and the checks found errors), or ``None``."""
        if not (self.strict and self.errors):
            return None
        n = len(self.errors)
        return StoreError(
            f"not committed: the checks found {count(n, 'error')} (listed above)",
            "Fix the scenario, or commit without --strict to keep the findings with the version",
        )

    def describe(self) -> str:
        """One line: ``Would commit 3 versions to branch 'oxon' as a new branch from 1a2b3c4d``."""
        at = f"on top of its head {self.base_version}" if self.head else f"as a new branch from {self.base_version}"
        return f"Would commit {count(len(self.phases), 'version')} to branch '{self.branch}' {at}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: everything but the structures (rebuilt from the edits on ``applied_on``)."""
        return {
            "branch": self.branch,
            "head": self.head,
            "base_version": self.base_version,
            "applied_on": self.applied_on,
            "scenario": self.scenario,
            "scenario_file": self.scenario_file,
            "message": self.message,
            "strict": self.strict,
            "reapplied": self.reapplied,
            "phases": [p.to_dict() for p in self.phases],
            "findings": [f.to_dict() for f in self.findings],
        }


def plan_scenario_commit(
    store, outcome, branch: str, *, base_ref: str | None = None, strict: bool = False, message: str | None = None
) -> ScenarioCommitPlan:
    """Work out committing an applied scenario to a branch, one version per phase; write nothing.

    The phases go on top of the branch's head, or of ``base_ref`` (default the
    ``baseline`` branch) when the branch is new. If the scenario was applied to
    something else (its own base file, an older version), it is applied again
    to that version, so a branch never silently loses earlier versions'
    changes. The checks run on the result.

    Parameters
    ----------
    store : Store
        An open store.
    outcome : restructure.apply.Outcome
        The scenario applied (``run_scenario``; ``keep_phases=True`` saves
        re-applying the edits when committing).
    branch : str
        The branch to commit to; created when new.
    base_ref : str, optional
        Where a new branch starts: a stored ref. A file (the ``--base`` the
        scenario was run on) means: start from ``baseline`` and commit the
        result as applied to the file.
    strict : bool
        Committing refuses when the checks find errors.
    message : str, optional
        Each version's message starts with it (default: the scenario's name).

    Returns
    -------
    ScenarioCommitPlan

    Raises
    ------
    StoreError
        No such branch or ref, or no store.
    ScenarioError
        The scenario does not fit the branch's latest version.
    """
    from ..apply import run_scenario
    from ..checks import check_timeline
    from ..refs import is_file_ref
    from . import scenario_base
    from .rows import structure_rows

    file_base = base_ref is not None and is_file_ref(str(base_ref))
    start = scenario_base(store, branch, "baseline" if base_ref is None or file_base else str(base_ref))
    reapplied = not file_base and structure_rows(start.structure) != structure_rows(outcome.base)
    if reapplied:
        # the same phases as the outcome: `apply --as-of` may have stopped before the last ones
        phases = outcome.scenario.phases
        as_of = None
        if len(outcome.phases) < len(phases):
            as_of = outcome.phases[-1].date if outcome.phases else phases[0].date - dt.timedelta(days=1)
        outcome = run_scenario(outcome.scenario, start.structure, keep_phases=True, as_of=as_of)
    report = check_timeline(outcome.structure, outcome.dates, base=outcome.base)
    from .provenance import phase_origins

    phases = tuple(
        PlannedPhase(p.name, p.date, tuple(e for ops in p.resolved for e in ops), p.structure, phase_origins(p))
        for p in outcome.phases
    )
    return ScenarioCommitPlan(
        branch=branch, head=start.expected_head, base_version=start.base_version,
        scenario=outcome.scenario.name, phases=phases, message=message, findings=tuple(report.findings),
        reapplied=reapplied, applied_on=None if file_base else start.base_version, strict=strict,
        scenario_file=str(outcome.scenario.file) if getattr(outcome.scenario, "file", None) else None,
        result=outcome.structure,
    )


def commit_planned(store, plan: ScenarioCommitPlan, *, author: str | None = None) -> list[str]:
    """Commit a plan from :func:`plan_scenario_commit`: one version per phase, all or nothing.

    Parameters
    ----------
    store : Store
        The store the plan was made on.
    plan : ScenarioCommitPlan
    author : str, optional
        Default: the login name.

    Returns
    -------
    list of str
        The new version ids, one per phase.

    Raises
    ------
    StoreError
        ``plan.strict`` and the checks found errors (nothing written), or the
        plan carries no structures and no version to rebuild them on.
    BranchMoved
        Someone else committed to the branch since the plan was made (nothing written).
    """
    from ..apply import apply_edits
    from . import commit_scenario

    refused = plan.refusal()
    if refused is not None:
        raise refused
    structures = [p.structure for p in plan.phases]
    if any(s is None for s in structures):
        if plan.applied_on is None:
            raise StoreError(
                "the plan was made on a structure file and does not carry its structures",
                "Make the plan again and commit it in the same session",
            )
        s = store.checkout(plan.applied_on)
        structures = []
        for p in plan.phases:
            s = apply_edits(s, p.edits)
            structures.append(s)
    phases = [(p.name, p.date, s) for p, s in zip(plan.phases, structures, strict=True)]
    return commit_scenario(
        store, plan.branch, phases, scenario_name=plan.scenario, base_ref=plan.base_version,
        message=plan.message, findings=list(plan.findings), author=author, expected_head=plan.head,
        origins=[p.origins for p in plan.phases],
    )
