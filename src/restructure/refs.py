"""Name a structure by file or by stored version: what every command reads from.

``restructure show``, ``diff``, ``render`` and ``check`` accept either a
structure file (``scenarios/baseline/thames-valley.yaml``) or a ref into the
version store (``baseline``, ``oxon-single-unitary~1``, ``3fa9c2``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import StoreError
from .structure import Structure

__all__ = ["load_structure", "is_file_ref"]

_FILE_SUFFIXES = (".yaml", ".yml", ".json")


def is_file_ref(ref: str) -> bool:
    """Whether a ref names a file: an existing file, or a path ending in .yaml, .yml or .json."""
    return Path(ref).is_file() or ref.lower().endswith(_FILE_SUFFIXES)


def _load_file(path: str) -> Structure:
    """A structure file, or a scenario file standing for its (dated) result."""
    from pathlib import Path

    if Path(path).suffix != ".json":
        from .io.yamlfile import load
        from .scenario import is_scenario

        doc = load(path)
        if is_scenario(doc.data):
            from .apply import run_scenario

            return run_scenario(path).structure
        return Structure.from_dict(doc.data, doc)
    return Structure.load(path)


def load_structure(ref: str, db: str | None = None, as_of: dt.date | None = None) -> Structure:
    """Load a structure from a file, or check it out of the version store.

    Parameters
    ----------
    ref : str
        A structure file (YAML or JSON), a scenario file (standing for its
        result: every phase applied to its base, dates kept), or a branch,
        tag, version id (or unique prefix) in the store, optionally with
        ``~N`` (N versions back).
    db : str, optional
        The store's URL; default ``$RESTRUCTURE_DATABASE_URL``, else
        ``sqlite:///restructure.db``. Not used for files.
    as_of : date, optional
        Only what is in force on that date.

    Returns
    -------
    Structure

    Raises
    ------
    ValidationFailed
        The file is missing or not a valid structure.
    StoreError
        Not a file, and no store to look the ref up in, or no such ref there.

    Examples
    --------
    >>> from restructure.baseline import BASELINE
    >>> s = load_structure(str(BASELINE))
    >>> s.name
    'Thames Valley baseline'
    """
    if is_file_ref(ref):
        structure = _load_file(ref)
        return structure.as_of(as_of) if as_of is not None else structure
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
        return store.checkout(ref, as_of=as_of)
    finally:
        store.close()
