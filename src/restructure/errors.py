"""One family of errors for every mistake a planner can make.

The CLI catches :class:`RestructureError` (and only it) and prints
``Error: <what>. <what to do>`` on one line; anything else is a bug and shows
a traceback.
"""

from __future__ import annotations

__all__ = [
    "RestructureError",
    "ValidationFailed",
    "ScenarioError",
    "IrreversibleOp",
    "StoreError",
    "BranchMoved",
    "ImportFailed",
    "RenderError",
    "did_you_mean",
    "count",
]


class RestructureError(Exception):
    """Base of every error the tool reports to a planner.

    Parameters
    ----------
    what : str
        What is wrong, in one sentence without a final full stop.
    hint : str, optional
        What to do about it.
    file, line : optional
        Where the mistake is (a file name and a 1-based line number).
    phase, op_index : optional
        For scenarios: the phase (its name or date) and the 1-based index of
        the operation within it.
    ids : tuple of str
        The body, area or version ids involved.
    """

    default_hint = ""

    def __init__(
        self,
        what: str,
        hint: str | None = None,
        *,
        file: str | None = None,
        line: int | None = None,
        phase: str | None = None,
        op_index: int | None = None,
        ids: tuple[str, ...] = (),
    ) -> None:
        self.what = what
        self.hint = hint if hint is not None else self.default_hint
        self.file = file
        self.line = line
        self.phase = phase
        self.op_index = op_index
        self.ids = tuple(ids)
        super().__init__(self.message())

    def where(self) -> str:
        """Return ``file:line: phase P, operation N`` for the parts known."""
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        context = []
        if self.phase:
            context.append(f"phase {self.phase}")
        if self.op_index is not None:
            context.append(f"operation {self.op_index}")
        if context:
            parts.append(", ".join(context))
        return ": ".join(parts)

    def message(self) -> str:
        """The one-line message: where, what, and what to do."""
        where = self.where()
        text = f"{where}: {self.what}" if where else self.what
        text = _stop(text)
        if self.hint:
            text += " " + _stop(self.hint)
        return text

    def located(self, **fields) -> RestructureError:
        """Return this error with missing location fields filled in."""
        for key, value in fields.items():
            if getattr(self, key, None) in (None, ()) and value is not None:
                setattr(self, key, value)
        self.args = (self.message(),)
        return self

    def __str__(self) -> str:
        return self.message()


def did_you_mean(word: str, choices, n: int = 1) -> str:
    """A hint naming the nearest of ``choices`` to a mistyped ``word``, or ``""``.

    The one "did you mean" of the project (difflib's close matches, case-insensitive).

    Parameters
    ----------
    word : str
        What the planner typed.
    choices : iterable of str
        The valid names or ids.
    n : int
        How many near matches to name at most.

    Returns
    -------
    str
        ``Did you mean 'X'?``, ``Did you mean 'X', 'Y' or 'Z'?``, or ``""`` when nothing is close (so
        ``did_you_mean(...) or other_hint`` reads naturally).

    Examples
    --------
    >>> did_you_mean("oxfrd-csp", ["oxford-csp", "reading-csp"])
    "Did you mean 'oxford-csp'?"
    >>> did_you_mean("Susrey", ["Surrey", "Sussex", "Kent"], n=3)
    "Did you mean 'Surrey' or 'Sussex'?"
    >>> did_you_mean("Narnia", ["Surrey", "Kent"])
    ''
    """
    import difflib

    pool = sorted(set(choices))
    by_lower = {c.lower(): c for c in pool}
    close = [by_lower[c] for c in difflib.get_close_matches(word.lower(), list(by_lower), n=n)]
    if not close:
        return ""
    quoted = [f"'{c}'" for c in close]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"Did you mean {listed}?"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 phase``, ``3 phases``, ``2 bodies``: plain English for counts in messages.

    Examples
    --------
    >>> count(1, "phase"), count(3, "phase"), count(2, "body", "bodies")
    ('1 phase', '3 phases', '2 bodies')
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _stop(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


class ValidationFailed(RestructureError):
    """A structure or scenario file breaks a rule of the model."""

    default_hint = "Fix the file and run `restructure validate` again"


class ScenarioError(RestructureError):
    """An operation cannot be applied to the structure it meets."""

    default_hint = "Fix the scenario; nothing was written"


class IrreversibleOp(RestructureError):
    """An operation cannot be inverted because it does not record what it removed."""

    default_hint = "Invert the resolved form returned by apply() instead"


class StoreError(RestructureError):
    """The version store cannot be opened, read or written."""

    default_hint = "Check --db or RESTRUCTURE_DATABASE_URL"


class BranchMoved(StoreError):
    """Another planner committed to the branch since it was read."""

    default_hint = "Run the command again to apply on top of the new head"


class ImportFailed(RestructureError):
    """An external lookup file (ONS, mySociety) cannot be imported."""

    default_hint = "Check the file is an unchanged ONS or mySociety download; nothing was written"


class RenderError(RestructureError):
    """A diagram or report cannot be drawn."""

