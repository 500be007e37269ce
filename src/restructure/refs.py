"""Name a structure by file or by stored version: the one way from a name to a structure.

Every command that reads a structure (``show``, ``diff``, ``check``,
``render``, ``report``, ``export``, ``validate``) and a scenario's ``base:``
go through :func:`load_structure`; :func:`classify` is the only classifier
(:func:`kind_of` its short answer), and hands the YAML it read to
:func:`load_structure`, so a file is parsed once. A name is one of three kinds:

``structure``
    a structure file (YAML or JSON), e.g. ``scenarios/baseline/thames-valley.yaml``;
``scenario``
    a scenario file (YAML with top-level ``phases``), standing for its result:
    every phase applied to its base, dates kept;
``ref``
    a ref into the version store: a branch, tag, version id (or unique
    prefix), optionally with ``~N`` (N versions back), e.g. ``baseline``,
    ``oxon-single-unitary~1``, ``3fa9c2``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal, NamedTuple

from .errors import StoreError
from .structure import Structure

__all__ = ["Kind", "Named", "classify", "kind_of", "load_structure", "is_file_ref"]

Kind = Literal["structure", "scenario", "ref"]


class Named(NamedTuple):
    """What :func:`classify` found a name to stand for, with the YAML it read to tell.

    Give it to :func:`load_structure` in place of the name, and the file is not read again.
    """

    kind: Kind
    name: str
    """What the planner typed."""
    path: Path
    """The file it names (read relative to ``relative_to``); for a ref, the name as a path."""
    doc: Any
    """The parsed YAML file (:class:`restructure.io.yamlfile.Document`); None for JSON, a ref or a missing file."""

_FILE_SUFFIXES = (".yaml", ".yml", ".json")


def _path(spec: str | Path, relative_to: str | Path | None) -> Path:
    path = Path(spec)
    return Path(relative_to) / path if relative_to is not None and not path.is_absolute() else path


def classify(spec: str | Path, *, relative_to: str | Path | None = None) -> Named:
    """What a name stands for (as :func:`kind_of`), keeping the YAML read to tell.

    A caller that goes on to load the structure passes the result to
    :func:`load_structure`, so a national YAML file is parsed once, not twice.

    Examples
    --------
    >>> from restructure.baseline import BASELINE
    >>> named = classify(BASELINE)
    >>> named.kind, load_structure(named).name
    ('structure', 'Thames Valley baseline')
    """
    path = _path(spec, relative_to)
    if path.is_file():
        if path.suffix.lower() == ".json":
            return Named("structure", str(spec), path, None)
        from .io.yamlfile import load
        from .scenario import is_scenario

        doc = load(path)
        return Named("scenario" if is_scenario(doc.data) else "structure", str(spec), path, doc)
    if str(spec).lower().endswith(_FILE_SUFFIXES):
        return Named("structure", str(spec), path, None)  # a file that is not there: loading it says so
    return Named("ref", str(spec), path, None)


def kind_of(spec: str | Path, *, relative_to: str | Path | None = None) -> Kind:
    """What a name stands for: ``"structure"`` (file), ``"scenario"`` (file) or ``"ref"`` (in the store).

    An existing file is a scenario when it is YAML with top-level ``phases``,
    else a structure; a missing path ending in ``.yaml``, ``.yml`` or
    ``.json`` is a structure file (loading it reports that it is missing);
    anything else is a stored ref.

    Parameters
    ----------
    spec : str or Path
        What the planner typed.
    relative_to : str or Path, optional
        The folder a relative file name is read from (a scenario's own folder
        for its ``base:``); default the working directory.

    Returns
    -------
    {"structure", "scenario", "ref"}

    Raises
    ------
    ValidationFailed
        An existing YAML file that cannot be parsed.

    Examples
    --------
    >>> from restructure.baseline import BASELINE, SCENARIOS
    >>> kind_of(BASELINE), kind_of(SCENARIOS / "oxfordshire" / "one-unitary.yaml"), kind_of("baseline~1")
    ('structure', 'scenario', 'ref')
    """
    return classify(spec, relative_to=relative_to).kind


def is_file_ref(ref: str | Path, *, relative_to: str | Path | None = None) -> bool:
    """Whether a name is a file rather than a stored ref (``kind_of(ref) != "ref"``), without reading it.

    A name is a file when the file exists or the name ends in ``.yaml``,
    ``.yml`` or ``.json``; only telling a scenario from a structure needs the
    file parsed (:func:`classify`).

    Examples
    --------
    >>> from restructure.baseline import BASELINE
    >>> is_file_ref(BASELINE), is_file_ref("missing.yaml"), is_file_ref("baseline~1")
    (True, True, False)
    """
    return _path(ref, relative_to).is_file() or str(ref).lower().endswith(_FILE_SUFFIXES)


def load_structure(
    spec: str | Path | Named,
    *,
    db: str | None = None,
    as_of: dt.date | None = None,
    relative_to: str | Path | None = None,
    verify: bool = False,
) -> Structure:
    """Load a structure from a file, run a scenario file, or check a version out of the store.

    Parameters
    ----------
    spec : str, Path or Named
        A structure file (YAML or JSON), a scenario file (standing for its
        result: every phase applied to its base, dates kept), or a branch,
        tag, version id (or unique prefix) in the store, optionally with
        ``~N`` (N versions back). See :func:`kind_of`. Or what
        :func:`classify` made of one (its YAML is not read again).
    db : str, optional
        The store's URL; default ``$RESTRUCTURE_DATABASE_URL``, else
        ``sqlite:///restructure.db``. Used for a stored ref, and for a
        scenario file whose ``base:`` is a stored ref.
    as_of : date, optional
        Only what is in force on that date.
    relative_to : str or Path, optional
        The folder a relative file name is read from; default the working
        directory.
    verify : bool
        For a stored ref: check the version's rows against its id and rebuild
        it record by record (:meth:`Store.checkout` with ``verify``).

    Returns
    -------
    Structure

    Raises
    ------
    ValidationFailed
        The file is missing, or not a valid structure or scenario.
    ScenarioError
        A scenario's operation does not fit its base.
    StoreError
        Not a file, and no store to look the ref up in, or no such ref there.

    Examples
    --------
    >>> from restructure.baseline import BASELINE
    >>> s = load_structure(str(BASELINE))
    >>> s.name
    'Thames Valley baseline'
    """
    named = spec if isinstance(spec, Named) else classify(spec, relative_to=relative_to)
    kind, name, path, doc = named
    if kind == "ref":
        return _checkout(name, db, as_of, verify)
    if kind == "scenario":
        from .apply import run_scenario

        structure = run_scenario(path, db=db).structure
    elif doc is not None:
        structure = Structure.from_dict(doc.data, doc)
    else:
        structure = Structure.load(path)
    return structure.as_of(as_of) if as_of is not None else structure


def _checkout(ref: str, db: str | None, as_of: dt.date | None, verify: bool = False) -> Structure:
    from .store import open_store

    try:
        store = open_store(db, create=False)
    except StoreError as exc:
        if exc.what.startswith("no store at"):
            raise StoreError(
                f"'{ref}' is not a file, and there is no version store to look it up in ({exc.what})",
                "Check the path, or run `restructure init` to start a store",
            ) from None
        raise
    try:
        return store.checkout(ref, as_of=as_of, verify=verify)
    finally:
        store.close()
