"""The versioned store: versions of a structure, branches and tags, in a database.

Planners keep a baseline, try scenarios side by side on branches, and go back
to any earlier version. The store sits behind SQLAlchemy: an SQLite file in
the working directory by default (``restructure.db``, created on first use),
or a PostgreSQL database shared by a team, chosen by URL (``--db`` or the
``RESTRUCTURE_DATABASE_URL`` environment variable).

A version records only its delta against its first parent (rows added,
changed or removed; see :mod:`restructure.store.rows`), so storage grows with
the size of a change, not the size of the structure. Every
:data:`SNAPSHOT_EVERY` versions along a branch a full snapshot is kept, so a
checkout replays at most that many deltas. Moving a branch is a
compare-and-swap on its head in the same transaction as the version's rows:
two planners committing to one branch at once cannot overwrite each other.

Examples
--------
>>> from restructure.model import Area
>>> s = Structure("tiny")
>>> s.add(Area(id="E06000038", name="Reading", kind="unitary"))
>>> store = open_store("sqlite://")          # in memory, for the example
>>> v1 = store.init(s, author="ann")
>>> s2 = s.copy(); s2.add(Area(id="E06000039", name="Slough", kind="unitary"))
>>> v2 = store.commit("baseline", s2, message="add Slough", author="ann")
>>> [v.record.message for v in store.log("baseline")]
['add Slough', 'Baseline']
>>> store.checkout("baseline~1").to_yaml() == s.to_yaml()
True
>>> store.close()
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import hashlib
import json
import operator
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from ..errors import BranchMoved, StoreError, ValidationFailed, count, did_you_mean
from ..history import VersionGraph, VersionRecord
from ..structure import Structure
from . import schema as S
from .plan import PlannedPhase, ScenarioCommitPlan, commit_planned, plan_scenario_commit
from .provenance import Blame, BlameLine, RowOrigin, bases_of, blame_relations, parse_basis
from .rows import (
    RowKey,
    Rows,
    RowTuple,
    apply_delta,
    assemble,
    build_trusted,
    corrupt_store,
    delta,
    edit_delta,
    row_tuples,
    structure_from_rows,
    structure_rows,
)

__all__ = [
    "Store",
    "Version",
    "Ref",
    "RevertPlan",
    "ScenarioBase",
    "Blame",
    "BlameLine",
    "RowOrigin",
    "open_store",
    "resolve_url",
    "parse_recorded_time",
    "at_recorded_time",
    "scenario_base",
    "commit_scenario",
    "plan_scenario_commit",
    "commit_planned",
    "ScenarioCommitPlan",
    "PlannedPhase",
    "DEFAULT_URL",
    "ENV_VAR",
    "SNAPSHOT_EVERY",
    "UNSET",
]

DEFAULT_URL = "sqlite:///restructure.db"
"""Where the store lives when neither ``--db`` nor the environment says: a file in the working directory."""
ENV_VAR = "RESTRUCTURE_DATABASE_URL"
"""The environment variable naming the store's URL."""
SNAPSHOT_EVERY = 50
"""Keep a full snapshot every this many versions along a branch (first parents)."""

_CACHE_SIZE = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_HEX = re.compile(r"^[0-9a-f]{4,12}$")
_VID = re.compile(r"[0-9a-f]{12}")
_REF = re.compile(r"(?P<base>.+?)(?:@\{(?P<at>[^{}]*)\})?(?:~(?P<n>\d*))?")
_CHUNK = 500
_BATCH = 2000
"""Rows a checkout reads (and parses) at a time."""
_PAYLOAD = operator.itemgetter(2)  # of a (kind, key, payload) row


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""``expected_head`` default: compare against the branch head as read when the commit starts."""


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """A version as the log shows it: its record, the refs pointing at it, its size and findings."""

    record: VersionRecord
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    changes: int = 0
    """Rows in its delta (records added, changed or removed against its first parent)."""
    findings: tuple[dict, ...] = ()
    """Findings of the checks run when it was made, as plain data."""
    branch: str | None = None
    """The branch it was committed to (recorded since schema 0003)."""
    bases: tuple[dict, ...] = ()
    """The legal bases of the operations that made it, as plain data (since schema 0003)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        r = self.record
        return {
            "id": r.id,
            "parents": list(r.parents),
            "message": r.message,
            "author": r.author,
            "created": r.created.isoformat(),
            "scenario": r.scenario,
            "phase": r.phase,
            "branches": list(self.branches),
            "tags": list(self.tags),
            "changes": self.changes,
            "findings": list(self.findings),
            "committed_to": self.branch,
            "basis": list(self.bases),
        }


@dataclass(frozen=True)
class Ref:
    """A branch or tag: a name pointing at a version."""

    name: str
    kind: str
    """``branch`` or ``tag``."""
    head: VersionRecord


@dataclass(frozen=True)
class RevertPlan:
    """What :meth:`Store.revert` would do: undo one version's changes on a branch."""

    version: VersionRecord
    """The version whose changes are undone."""
    branch: str
    head: str
    """The branch head the revert applies on top of."""
    restored: int
    """Records put back as they were before the version."""
    rows: Rows = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class ScenarioBase:
    """Where a scenario run on a branch starts: see :func:`scenario_base`."""

    structure: Structure
    """The structure to apply the scenario to."""
    expected_head: str | None
    """The branch head read (``None``: the branch is new)."""
    base_version: str
    """The version the structure was checked out from."""


# -- opening ---------------------------------------------------------------------------


def resolve_url(url: str | None = None) -> str:
    """The store URL to use: ``url``, else ``$RESTRUCTURE_DATABASE_URL``, else ``sqlite:///restructure.db``.

    Raises
    ------
    StoreError
        ``url`` or the variable is set but empty: an empty URL is a mistake, not the default.
    """
    if url is not None and not url.strip():
        raise StoreError("--db is empty", f"Give a store URL (sqlite:///FILE.db or postgresql://...), or leave out --db to use ${ENV_VAR} or {DEFAULT_URL}")
    env = os.environ.get(ENV_VAR)
    if url is None and env is not None and not env.strip():
        raise StoreError(f"{ENV_VAR} is set but empty", f"Set it to a store URL, or unset it to use {DEFAULT_URL}")
    return url or env or DEFAULT_URL


def _parse_url(text: str) -> URL:
    try:
        u = make_url(text)
    except (sa_exc.ArgumentError, ValueError):
        raise StoreError(
            f"'{text}' is not a database URL",
            "Write sqlite:///FILE.db or postgresql://USER:PASSWORD@HOST/DATABASE",
        ) from None
    backend = u.get_backend_name()
    if backend in ("postgres", "postgresql") and "+" not in u.drivername:
        # psycopg (3) is the driver we ship with; plain postgresql:// would look for psycopg2.
        u = u.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database '{backend}' in {u.render_as_string(hide_password=True)}",
            "Use sqlite:///FILE.db or postgresql://USER:PASSWORD@HOST/DATABASE",
        )
    return u


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    # We issue BEGIN ourselves (see _sqlite_on_begin): pysqlite's own handling defers it.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
    finally:
        cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # Writers take the write lock up front, so two commits cannot both read the old head.
    write = conn.get_execution_options().get("restructure_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open (and if need be create or upgrade) the store at a URL.

    Parameters
    ----------
    url : str, optional
        ``sqlite:///FILE.db`` or ``postgresql://USER:PASSWORD@HOST/DATABASE``;
        default ``$RESTRUCTURE_DATABASE_URL``, else ``sqlite:///restructure.db``.
    create : bool
        Create the store's tables in an empty database. With ``False`` an empty
        or missing database is an error ("no store … run restructure init").

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        A bad URL, an unreachable server, a file that is not a store, a store
        made by a newer release. One line, saying what to do.
    """
    u = _parse_url(resolve_url(url))
    engine = _engine(u, create)
    store = Store(engine, u)
    try:
        store._prepare(create)
    except BaseException:
        engine.dispose()
        raise
    return store


def _engine(u: URL, create: bool) -> Engine:
    if u.get_backend_name() == "sqlite":
        memory = u.database in (None, "", ":memory:")
        if not memory:
            path = Path(u.database)
            if path.is_dir():
                raise StoreError(f"{path} is a folder, not a store file", "Name a .db file in --db")
            if not path.exists():
                if not create:
                    raise StoreError(f"no store at {path}", "Run `restructure init` first, or pass --db")
                if not path.parent.is_dir():
                    raise StoreError(
                        f"cannot create a store at {path}: folder {path.parent} does not exist",
                        "Create the folder or choose another --db",
                    )
        engine = sa.create_engine(u, poolclass=StaticPool) if memory else sa.create_engine(u)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    connect_args = {} if "connect_timeout" in u.query else {"connect_timeout": 10}
    try:
        return sa.create_engine(u, connect_args=connect_args)
    except ModuleNotFoundError:
        raise StoreError(
            "PostgreSQL support is not installed", "Run: pip install 'restructure[postgres]'"
        ) from None


# -- the store -------------------------------------------------------------------------


class Store:
    """Versions of partnership structures in a database. Open with :func:`open_store`.

    Every method reads or writes in its own transaction; a commit writes the
    version, its rows and the branch move in one transaction, so a crash
    leaves the store as it was.
    """

    def __init__(self, engine: Engine, url: URL):
        self.engine = engine
        self._u = url
        self._sqlite = url.get_backend_name() == "sqlite"
        self._cache: OrderedDict[str, Rows] = OrderedDict()
        self.before_publish: Callable[[str], None] | None = None
        """Called with the new head inside a commit's transaction, after the rows
        are written and before the branch moves (tests kill a process here)."""

    # -- plumbing ------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The store's URL, without its password."""
        return self._u.render_as_string(hide_password=True)

    @property
    def where(self) -> str:
        """A short name for messages: the SQLite file, or PostgreSQL host:port/database."""
        u = self._u
        if self._sqlite:
            return u.database or ":memory:"
        return f"PostgreSQL at {u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.url}>"

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn:
            conn.execution_options(restructure_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa_exc.DBAPIError as exc:
            if isinstance(exc, sa_exc.IntegrityError | sa_exc.ProgrammingError):
                raise  # a bug in this module, not the planner's doing: show the traceback
            raise self._db_error(exc) from None

    def _db_error(self, exc: sa_exc.DBAPIError) -> StoreError:
        text = str(exc.orig).strip() if exc.orig is not None else str(exc)
        low = text.lower()
        if self._sqlite:
            if "file is not a database" in low or "not a database" in low:
                return StoreError(
                    f"{self.where} is not a restructure store (not an SQLite database)",
                    "Pass --db the store's file, or a new file name to create one",
                )
            if "locked" in low or "busy" in low:
                return StoreError(f"the store {self.where} is busy (another process is writing)", "Try again")
            if "unable to open" in low:
                return StoreError(f"cannot open {self.where} (unable to open the file)", "Check the path and its permissions")
            return StoreError(f"cannot use the store {self.where} ({_first_line(text)})")
        u = self._u
        at = f"{u.host or 'localhost'}:{u.port or 5432}"
        if "connection refused" in low:
            reason = "connection refused"
        elif "password authentication failed" in low:
            reason = f"password authentication failed for user '{u.username}'"
        elif "does not exist" in low and "database" in low:
            reason = f"database '{u.database}' does not exist"
        elif "timeout" in low:
            reason = "timed out"
        elif "translate host name" in low or "name or service not known" in low or "nodename nor servname" in low:
            reason = f"unknown host '{u.host}'"
        elif "server closed the connection" in low or "terminating connection" in low:
            reason = "the server closed the connection"
        else:
            reason = _first_line(text)
        return StoreError(
            f"cannot connect to PostgreSQL at {at} ({reason})",
            "Check the server is running and the URL in --db or RESTRUCTURE_DATABASE_URL",
        )

    def _prepare(self, create: bool) -> None:
        # Look first without the write lock: opening an up-to-date store must not queue behind
        # another planner's commit. Only creating or upgrading takes the lock (and looks again).
        with self._read() as conn:
            if not self._needs_upgrade(conn, create):
                return
        with self._write() as conn:
            if not self._sqlite:
                # One migrator at a time when several planners open a new shared store together.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(74727275)"))
            if self._needs_upgrade(conn, create):
                from alembic import command

                command.upgrade(_alembic_config(conn), "head")

    def _needs_upgrade(self, conn: Connection, create: bool) -> bool:
        tables = set(sa.inspect(conn).get_table_names())
        if not tables:
            if not create:
                raise StoreError(f"no store at {self.where}", "Run `restructure init` first, or pass --db")
            return True
        if S.VERSION_TABLE not in tables:
            shown = ", ".join(sorted(tables)[:3]) + (", …" if len(tables) > 3 else "")
            raise StoreError(
                f"{self.where} is not a restructure store (it holds other tables: {shown})",
                "Pass --db a store, or a new file or database to create one",
            )
        # A plain SELECT of the revision against the package's list: importing alembic and reading
        # its migration scripts cost a fifth of a second, on every open of an up-to-date store.
        found = [row[0] for row in conn.execute(sa.select(sa.column("version_num")).select_from(sa.table(S.VERSION_TABLE)))]
        if len(found) == 1 and found[0] in S.REVISIONS:
            return found[0] != S.HEAD_REVISION
        # Unknown (a newer release's), none or several: alembic's own reading, as before.
        from alembic.migration import MigrationContext
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config(conn))
        current = MigrationContext.configure(conn, opts={"version_table": S.VERSION_TABLE}).get_current_revision()
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise StoreError(
                f"the store {self.where} was made by a newer release of restructure (schema {current})",
                "Upgrade restructure: pip install -U restructure",
            )
        return current != script.get_current_head()

    # -- reading -------------------------------------------------------------------

    def _graph(self, conn: Connection) -> tuple[VersionGraph, dict[str, tuple[int, bool]]]:
        v = S.versions.c
        parents: dict[str, list[str]] = {}
        for vid, pid in conn.execute(
            sa.select(S.version_parents.c.version_id, S.version_parents.c.parent_id).order_by(
                S.version_parents.c.version_id, S.version_parents.c.position
            )
        ):
            parents.setdefault(vid, []).append(pid)
        records, shape = [], {}
        for row in conn.execute(
            sa.select(v.id, v.message, v.author, v.created, v.scenario, v.phase, v.depth, v.snapshot)
        ):
            records.append(
                VersionRecord(
                    row.id, tuple(parents.get(row.id, ())), row.message, row.author,
                    _utc(row.created), row.scenario, row.phase,
                )
            )
            shape[row.id] = (row.depth, bool(row.snapshot))
        return VersionGraph(records), shape

    def _refs(self, conn: Connection) -> dict[str, tuple[str, str]]:
        """name -> (kind, head)."""
        r = S.refs.c
        return {name: (kind, head) for name, kind, head in conn.execute(sa.select(r.name, r.kind, r.head))}

    def _resolve(self, ref: str, graph: VersionGraph, refs: Mapping[str, tuple[str, str]]) -> str:
        m = _REF.fullmatch(ref)
        base, at, steps = (m.group("base"), m.group("at"), int(m.group("n") or 1) if m.group("n") is not None else 0) if m else (ref, None, 0)
        if base in refs:
            vid = refs[base][1]
        elif base in graph:
            vid = base
        else:
            found = graph.match(base) if _HEX.match(base) else []
            if len(found) > 1:
                raise StoreError(
                    f"'{base}' matches {len(found)} versions ({', '.join(found[:3])})",
                    "Type more of the version id",
                    ids=(base,),
                )
            if not found:
                hint = did_you_mean(base, refs) or "Run `restructure branch` or `restructure log` to list them"
                if not graph:
                    hint = "The store is empty: run `restructure init`"
                raise StoreError(f"no branch, tag or version '{base}' in {self.where}", hint, ids=(base,))
            vid = found[0]
        if at is not None:
            vid = _recorded_by(graph, vid, base, parse_recorded_time(at), at.strip())
        return graph.nth_parent(vid, steps) if steps else vid

    def _rows(self, conn: Connection, vid: str, graph: VersionGraph, shape: Mapping, *, verify: bool = False) -> Rows:
        """Every row of a version: the nearest cached or snapshot state plus the deltas after it."""
        replay: list[str] = []
        rows: Rows | None = None
        v: str | None = vid
        while v is not None:
            if v in self._cache:
                self._cache.move_to_end(v)
                rows = dict(self._cache[v])
                break
            if shape[v][1]:
                rows = self._load(conn, S.snapshot_rows, [v])[v]
                rows = {k: p for k, p in rows.items() if p is not None}
                break
            replay.append(v)
            v = graph.get(v).parent
        if rows is None:
            rows = {}
        replay.reverse()
        deltas = self._load(conn, S.version_rows, replay)
        for v in replay:
            if verify:
                changes = dict(sorted(deltas.get(v, {}).items()))
                if _version_id(graph.get(v), row_tuples(changes)) != v:
                    raise StoreError(
                        f"the rows of version {v} do not match its id (checksum)",
                        "The store is corrupt: restore it from a backup",
                        ids=(v,),
                    )
            apply_delta(rows, deltas.get(v, {}).items())
        self._remember(vid, rows)
        return rows

    def _stream(self, conn: Connection, vid: str, graph: VersionGraph, shape: Mapping) -> Iterator[list[tuple[str, str]]]:
        """Every row of a version as (kind, payload), in (kind, key) order, in batches.

        The rows come straight from the nearest snapshot (or the first version,
        whose delta is every row) with the deltas after it merged in on the way,
        so a checkout never holds all the rows and the structure at once.
        """
        replay: list[str] = []
        v: str | None = vid
        while v is not None:
            if v in self._cache or shape[v][1]:
                break
            replay.append(v)
            v = graph.get(v).parent
        if v is not None and v in self._cache:  # already in memory: no need to stream
            self._cache.move_to_end(v)
            rows = dict(self._cache[v])
            replay.reverse()
            for delta_ in self._load(conn, S.version_rows, replay).values():
                apply_delta(rows, delta_.items())
            yield [(kind, payload) for (kind, _), payload in sorted(rows.items())]
            return
        base, table = (v, S.snapshot_rows) if v is not None else (replay.pop(), S.version_rows)
        replay.reverse()
        changes: dict[RowKey, str | None] = {}
        for delta_ in self._load(conn, S.version_rows, replay).values():
            changes.update(delta_)
        # Both databases give rows in code-point order of kind and key, as Python compares
        # strings: SQLite's default (binary) collation compares UTF-8 bytes; PostgreSQL's "C" does.
        order = "kind, key" if self._sqlite else 'kind COLLATE "C", key COLLATE "C"'
        columns = "kind, key, payload" if changes else "kind, payload"
        cur = conn.connection.dbapi_connection.cursor()
        try:
            cur.execute(
                f"SELECT {columns} FROM {table.name} WHERE version_id = {self._mark} ORDER BY {order}", (base,)
            )
            batches = iter(lambda: cur.fetchmany(_BATCH), [])
            if not changes:
                yield from batches
                return
            pending = sorted(changes)
            i, n = 0, len(pending)
            for batch in batches:
                out = []
                for kind, key, payload in batch:
                    here = (kind, key)
                    while i < n and pending[i] < here:  # rows the deltas added
                        if changes[pending[i]] is not None:
                            out.append((pending[i][0], changes[pending[i]]))
                        i += 1
                    if i < n and pending[i] == here:  # changed or removed since
                        payload = changes[here]
                        i += 1
                    if payload is not None:
                        out.append((kind, payload))
                yield out
            yield [(pending[j][0], changes[pending[j]]) for j in range(i, n) if changes[pending[j]] is not None]
        finally:
            cur.close()

    def _load(self, conn: Connection, table: sa.Table, ids: Sequence[str]) -> dict[str, dict[RowKey, str | None]]:
        # Straight through the driver's cursor (one fetchall per version): SQLAlchemy's per-row
        # result processing cost more than the query itself on a national structure.
        out: dict[str, dict[RowKey, str | None]] = {}
        cur = conn.connection.dbapi_connection.cursor()
        try:
            sql = f"SELECT kind, key, payload FROM {table.name} WHERE version_id = {self._mark}"
            for vid in ids:
                cur.execute(sql, (vid,))
                out[vid] = {(kind, key): payload for kind, key, payload in cur.fetchall()}
        finally:
            cur.close()
        return out

    @property
    def _mark(self) -> str:
        return "?" if self._sqlite else "%s"

    def _insert_rows(
        self, conn: Connection, table: sa.Table, vid: str, rows: Sequence[RowTuple],
        op_index: Mapping[RowKey, int | None] | None = None,
    ) -> None:
        """Insert a version's rows, (kind, key, payload) tuples, with one ``executemany`` on the driver's cursor (same transaction).

        ``op_index``: for ``version_rows``, the operation each row came from (provenance), when known.
        """
        m = self._mark
        # The version id is a hex digest we made: written into the statement, it is not bound
        # again for every row (binding it, and a null op_index, cost a third of a national commit).
        if not _VID.fullmatch(vid):
            raise ValueError(f"not a version id: {vid!r}")
        op_index = {k: i for k, i in (op_index or {}).items() if i is not None}
        cur = conn.connection.dbapi_connection.cursor()
        try:
            if not op_index:
                cur.executemany(
                    f"INSERT INTO {table.name} (version_id, kind, key, payload) VALUES ('{vid}', {m}, {m}, {m})", rows
                )
            else:
                cur.executemany(
                    f"INSERT INTO {table.name} (version_id, kind, key, payload, op_index) VALUES ('{vid}', {m}, {m}, {m}, {m})",
                    [(kind, key, payload, op_index.get((kind, key))) for kind, key, payload in rows],
                )
        finally:
            cur.close()

    def _remember(self, vid: str, rows: Rows, *, owned: bool = False) -> None:
        """Keep a version's rows (a copy, unless ``owned``: rows nobody else holds)."""
        self._cache[vid] = rows if owned else dict(rows)
        self._cache.move_to_end(vid)
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def resolve(self, ref: str) -> str:
        """The full id of the version a ref names.

        ``ref`` is a branch, a tag, a version id or a unique prefix of one (4+
        characters), optionally followed by ``@{TIME}`` (the version it named
        at that recorded time: ``oxon-two@{2026-12-01}``, see
        :func:`parse_recorded_time`) and by ``~N`` (N versions back along
        first parents; ``~`` alone is ``~1``).
        """
        with self._read() as conn:
            graph, _ = self._graph(conn)
            return self._resolve(ref, graph, self._refs(conn))

    def root(self) -> str:
        """The id of the store's first version (it names the store: saved plans check it).

        Raises
        ------
        StoreError
            The store has no versions.
        """
        with self._read() as conn:
            graph, _ = self._graph(conn)
        roots = sorted(graph.roots(), key=lambda v: (graph.get(v).created, v))
        if not roots:
            raise StoreError(f"the store {self.where} has no versions", "Run `restructure init` first")
        return roots[0]

    def head(self, branch: str) -> str | None:
        """The version a branch points at, or ``None`` when there is no such branch."""
        with self._read() as conn:
            found = self._refs(conn).get(branch)
        if found is not None and found[0] != "branch":
            raise StoreError(f"'{branch}' is a tag, not a branch", "Name a branch (`restructure branch` lists them)")
        return found[1] if found else None

    def checkout(self, ref: str, as_of: dt.date | None = None, *, verify: bool = False) -> Structure:
        """Rebuild the structure of a version exactly.

        Parameters
        ----------
        ref : str
            A branch, tag, version id or prefix, optionally with ``~N``.
        as_of : date, optional
            Only what is in force on that date (:meth:`Structure.as_of`).
        verify : bool
            Check everything instead of trusting the store's own rows: every
            delta replayed must hash to its version's id (the id is a sha256
            of the version's record and rows), and the structure is rebuilt
            record by record with every check of :meth:`Structure.add`. The
            default streams the rows in key order and builds the graph in bulk
            (:func:`~restructure.store.rows.build_trusted`), holding one batch
            of rows at a time; both give the same structure.

        Raises
        ------
        StoreError
            No such ref, or (with ``verify``) a version's rows do not match its id.
        """
        with self._read() as conn:
            graph, shape = self._graph(conn)
            vid = self._resolve(ref, graph, self._refs(conn))
            if verify:
                self._cache.clear()
                rows = self._rows(conn, vid, graph, shape, verify=True)
                structure, meta = structure_from_rows(rows), rows.get(("structure", ""), "")
            else:
                with corrupt_store():
                    structure, meta = build_trusted(self._stream(conn, vid, graph, shape))
        if as_of is None:
            structure.track((vid, meta))
        return structure.as_of(as_of) if as_of is not None else structure

    def version(self, ref: str) -> VersionRecord:
        """The record of the version a ref names."""
        with self._read() as conn:
            graph, _ = self._graph(conn)
            return graph.get(self._resolve(ref, graph, self._refs(conn)))

    def log(self, ref: str | None = None, limit: int | None = None) -> list[Version]:
        """Versions newest first: those a ref reaches, or every version in the store.

        Each comes with the branches and tags at it, its delta size and its findings.
        """
        v = S.versions.c
        r = S.version_rows.c
        with self._read() as conn:
            graph, _ = self._graph(conn)
            refs = self._refs(conn)
            heads = [self._resolve(ref, graph, refs)] if ref is not None else None
            records = graph.log(heads)[:limit] if limit is not None else graph.log(heads)
            ids = [rec.id for rec in records]
            changes: dict[str, int] = {}
            findings: dict[str, str | None] = {}
            extra: dict[str, tuple[str | None, str | None]] = {}
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i:i + _CHUNK]
                changes.update(conn.execute(
                    sa.select(r.version_id, sa.func.count()).where(r.version_id.in_(chunk)).group_by(r.version_id)
                ).all())
                for vid, finds, branch, basis in conn.execute(
                    sa.select(v.id, v.findings, v.branch, v.basis).where(v.id.in_(chunk))
                ):
                    findings[vid] = finds
                    extra[vid] = (branch, basis)
        at: dict[str, dict[str, list[str]]] = {}
        for name, (kind, head) in sorted(refs.items()):
            at.setdefault(head, {"branch": [], "tag": []})[kind].append(name)
        return [
            Version(
                rec,
                tuple(at.get(rec.id, {}).get("branch", ())),
                tuple(at.get(rec.id, {}).get("tag", ())),
                changes.get(rec.id, 0),
                tuple(json.loads(findings[rec.id])) if findings.get(rec.id) else (),
                extra.get(rec.id, (None, None))[0],
                tuple(json.loads(extra[rec.id][1])) if extra.get(rec.id, (None, None))[1] else (),
            )
            for rec in records
        ]

    def _list_refs(self, kind: str) -> list[Ref]:
        with self._read() as conn:
            graph, _ = self._graph(conn)
            refs = self._refs(conn)
        return [Ref(name, k, graph.get(head)) for name, (k, head) in sorted(refs.items()) if k == kind]

    def branches(self) -> list[Ref]:
        """Every branch, sorted by name."""
        return self._list_refs("branch")

    def tags(self) -> list[Ref]:
        """Every tag, sorted by name."""
        return self._list_refs("tag")

    def blame(
        self, ref: str, *, area: str | None = None, body: str | None = None, as_of: dt.date | None = None
    ) -> Blame:
        """For every relation in force touching an area or a body, the version that last changed it.

        Parameters
        ----------
        ref : str
            A branch, tag or version (``@{TIME}`` and ``~N`` allowed).
        area, body : str
            The area or body, by id or by name (give exactly one).
        as_of : date, optional
            Relations in force on that date; default: those not ended (in
            force now or planned).

        Returns
        -------
        Blame
            One :class:`BlameLine` per relation (seat, covers, discharges,
            member_of, serves, accountable_to): version, branch, author,
            recorded time, scenario, phase, operation and basis. Versions
            written before schema 0003 have ``provenance`` false.

        Raises
        ------
        StoreError
            Neither or both of ``area`` and ``body``, an unknown or ambiguous
            name, or an unknown ref.
        """
        if (area is None) == (body is None):
            raise StoreError("say what to blame: an area or a body", "Pass --area ID|NAME or --body ID|NAME")
        what, wanted = ("area", area) if area is not None else ("body", body)
        v, r = S.versions.c, S.version_rows.c
        with self._read() as conn:
            graph, shape = self._graph(conn)
            vid = self._resolve(ref, graph, self._refs(conn))
            structure = structure_from_rows(self._rows(conn, vid, graph, shape))
            subject = _find_record(structure, wanted, what)
            relations = blame_relations(structure.relations(), subject.id, as_of)
            wanted_keys = {"|".join(rel.key): rel for rel in relations}
            chain = graph.first_parents(vid)
            position = {x: i for i, x in enumerate(chain)}
            found: dict[str, tuple] = {}
            keys = sorted(wanted_keys)
            for i in range(0, len(chain), _CHUNK):
                versions = chain[i:i + _CHUNK]
                for j in range(0, len(keys), _CHUNK):
                    for vid_, key, op_index in conn.execute(
                        sa.select(r.version_id, r.key, r.op_index).where(
                            r.kind == "relation", r.version_id.in_(versions), r.key.in_(keys[j:j + _CHUNK])
                        )
                    ):
                        if key not in found or position[vid_] < position[found[key][0]]:
                            found[key] = (vid_, op_index)
                if len(found) == len(keys):
                    break  # chunks go newest first: every relation's latest change is found
            ids = sorted({f[0] for f in found.values()})
            meta, ops = {}, {}
            o = S.version_operations.c
            for k in range(0, len(ids), _CHUNK):
                chunk = ids[k:k + _CHUNK]
                for x in conn.execute(sa.select(v.id, v.branch, v.provenance).where(v.id.in_(chunk))):
                    meta[x.id] = (x.branch, bool(x.provenance))
                for x in conn.execute(
                    sa.select(o.version_id, o.op_index, o.operation, o.basis).where(o.version_id.in_(chunk))
                ):
                    ops[(x.version_id, x.op_index)] = (x.operation, x.basis)
        lines = []
        for key, rel in wanted_keys.items():
            version, op_index = found[key]
            operation, basis = ops.get((version, op_index), (None, None))
            rec = graph.get(version)
            branch, provenance = meta[version]
            lines.append(BlameLine(
                rel, version, rec.author, rec.created, branch, rec.scenario, rec.phase,
                op_index, operation, parse_basis(basis), provenance, rec.message,
            ))
        return Blame(ref, vid, subject.id, subject.name, as_of, tuple(lines))

    def findings(self, ref: str) -> list[dict]:
        """The findings stored with a version (plain data)."""
        vid = self.resolve(ref)
        with self._read() as conn:
            text = conn.execute(sa.select(S.versions.c.findings).where(S.versions.c.id == vid)).scalar()
        return json.loads(text) if text else []

    def delta_size(self, ref: str) -> tuple[int, int]:
        """Rows and bytes (key plus payload) a version's delta adds to the store."""
        vid = self.resolve(ref)
        r = S.version_rows.c
        with self._read() as conn:
            n, size = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.coalesce(sa.func.sum(sa.func.length(r.key) + sa.func.coalesce(sa.func.length(r.payload), 0)), 0),
                ).where(r.version_id == vid)
            ).one()
        return int(n), int(size)

    # -- writing -------------------------------------------------------------------

    def init(
        self, baseline: Structure, message: str = "Baseline", *, author: str | None = None, branch: str = "baseline"
    ) -> str:
        """Make the first version from a baseline structure, on a new branch (``baseline``).

        Raises
        ------
        StoreError
            The store already has versions.
        """
        _check_name(branch, "branch")
        return self._commit(branch, [(baseline, {"message": message, "author": author})], None, None, first=True)[0]

    def commit(
        self,
        branch: str,
        structure: Structure,
        *,
        message: str,
        author: str | None = None,
        scenario: str | None = None,
        phase: str | None = None,
        findings: Sequence[Any] | None = None,
        expected_head: str | None = UNSET,
    ) -> str:
        """Record a structure as a new version on a branch and move the branch to it.

        Parameters
        ----------
        branch : str
            An existing branch (or a new one, with ``expected_head=None``: it then
            starts as a first version, so use :meth:`commit_many` with ``start_from``).
        structure : Structure
            The whole structure; only its difference from the branch head is stored.
        message, author, scenario, phase
            The version's record (``author`` defaults to the login name).
        findings : list, optional
            Check findings to keep with the version (pydantic models, dataclasses or dicts).
        expected_head : str, optional
            The head the caller read. If the branch has moved since, nothing is
            written and :class:`BranchMoved` is raised. Default: the head when the
            commit starts.

        Returns
        -------
        str
            The new version's id.
        """
        meta = {"message": message, "author": author, "scenario": scenario, "phase": phase, "findings": findings}
        return self.commit_many(branch, [(structure, meta)], expected_head=expected_head)[0]

    def commit_many(
        self,
        branch: str,
        items: Sequence[tuple[Structure, Mapping[str, Any]]],
        *,
        expected_head: str | None = UNSET,
        start_from: str | None = None,
    ) -> list[str]:
        """Record several structures as a chain of versions on a branch, all or nothing.

        Parameters
        ----------
        branch : str
        items : list of (Structure, dict)
            Each structure with its record: ``message`` (required), ``author``,
            ``scenario``, ``phase``, ``findings``.
        expected_head : str or None, optional
            The head the caller read; ``None`` means the branch must not exist yet
            (it is created, starting from ``start_from``). Default: the head when
            the commit starts.
        start_from : str, optional
            For a new branch: the ref its first version is made from.

        Returns
        -------
        list of str
            The new version ids, oldest first.

        Raises
        ------
        BranchMoved
            The branch moved (or was created) since ``expected_head`` was read.
        """
        _check_name(branch, "branch")
        if not items:
            return []
        for _, meta in items:
            if not meta.get("message"):
                raise StoreError("a version needs a message", "Pass --message")
        return self._commit(branch, items, expected_head, start_from)

    def _commit(self, branch, items, expected_head, start_from, first: bool = False) -> list[str]:
        # A single structure checked out of this store and edited since: its delta is its edits
        # (O(edits): neither the parent's rows nor the whole structure are read or serialised).
        tracked = items[0][0].edits() if len(items) == 1 and not first else None
        quick = edit_delta(items[0][0], tracked[0][1]) if tracked is not None and isinstance(tracked[0], tuple) else None
        # Otherwise serialise before taking any lock: the transaction itself only writes.
        new_rows: list[Rows | None] = [None] if quick is not None else [structure_rows(s) for s, _ in items]
        with self._read() as conn:
            graph, shape = self._graph(conn)
            refs = self._refs(conn)
            if first and len(graph):
                raise StoreError(
                    f"the store {self.where} already has {count(len(graph), 'version')}",
                    "Use `restructure apply` to add versions, or --db for a new store",
                )
            current = refs.get(branch)
            if current is not None and current[0] != "branch":
                raise StoreError(f"'{branch}' is a tag, not a branch", "Choose another branch name")
            if expected_head is UNSET:
                if current is None and start_from is None and not first:
                    raise StoreError(
                        f"no branch '{branch}'", f"Create it with `restructure branch {branch} --from REF`"
                    )
                expected_head = current[1] if current else None
            if expected_head is None:
                if start_from is None and not first:
                    raise StoreError(
                        f"no branch '{branch}'", f"Create it with `restructure branch {branch} --from REF`"
                    )
                if current is not None:
                    raise BranchMoved(f"branch '{branch}' was created since you read it (head is now {current[1][:12]})")
                parent = self._resolve(start_from, graph, refs) if start_from is not None else None
            else:
                if current is None:
                    raise StoreError(f"no branch '{branch}'", f"Create it with `restructure branch {branch} --from REF`")
                if current[1] != expected_head:
                    raise _moved(branch, current[1])
                parent = expected_head
            depth = shape[parent][0] + 1 if parent is not None else 0
            if quick is not None and (parent is None or tracked[0][0] != parent or depth % SNAPSHOT_EVERY == 0):
                quick = None  # edited from another version, or a snapshot is due: the full way
                new_rows = [structure_rows(items[0][0])]
            before = self._rows(conn, parent, graph, shape) if parent is not None and quick is None else {}

        now = dt.datetime.now(dt.UTC)
        planned = []
        prev_rows, prev_id = before, parent
        for i, ((_, meta), rows) in enumerate(zip(items, new_rows, strict=True)):
            # Strictly increasing times keep the log in commit order within a chain.
            created = now + dt.timedelta(microseconds=i)
            rec = VersionRecord(
                "", (prev_id,) if prev_id else (), meta["message"], meta.get("author") or _login(),
                created, meta.get("scenario"), meta.get("phase"),
            )
            changes = quick if rows is None else delta(prev_rows, rows)
            written = row_tuples(changes)  # hashed into the id and inserted: made once
            vid = _version_id(rec, written)
            planned.append((
                dataclasses.replace(rec, id=vid), changes, written, depth + i, rows,
                _plain_findings(meta.get("findings")), meta.get("origins") or {},
            ))
            prev_rows, prev_id = rows, vid

        with self._write() as conn:
            found = conn.execute(sa.select(S.refs.c.head).where(S.refs.c.name == branch)).scalar()
            if expected_head is None and found is not None:
                raise BranchMoved(f"branch '{branch}' was created since you read it (head is now {found})")
            if expected_head is not None and found != expected_head:
                raise _moved(branch, found)
            if first and conn.execute(sa.select(sa.func.count()).select_from(S.versions)).scalar():
                raise StoreError(f"the store {self.where} already has versions", "Use --db for a new store")
            for rec, changes, written, d, rows, finds, origins in planned:
                snapshot = d > 0 and d % SNAPSHOT_EVERY == 0
                bases = [b.to_dict() for b in bases_of(origins.values())]
                conn.execute(S.versions.insert().values(
                    id=rec.id, message=rec.message, author=rec.author, created=rec.created,
                    scenario=rec.scenario, phase=rec.phase, depth=d, snapshot=snapshot,
                    findings=json.dumps(finds, sort_keys=True) if finds is not None else None,
                    branch=branch, provenance=True,
                    basis=json.dumps(bases, sort_keys=True) if bases else None,
                ))
                if rec.parents:
                    conn.execute(S.version_parents.insert(), [
                        {"version_id": rec.id, "position": i, "parent_id": p} for i, p in enumerate(rec.parents)
                    ])
                if changes:
                    self._insert_rows(conn, S.version_rows, rec.id, written,
                                      op_index={k: o.op_index for k, o in origins.items() if k in changes})
                operations = {o.op_index: o for key, o in origins.items() if key in changes and o.op_index is not None}
                if operations:
                    conn.execute(S.version_operations.insert(), [
                        {"version_id": rec.id, "op_index": i, "operation": o.operation or "", "basis": o.basis_json()}
                        for i, o in sorted(operations.items())
                    ])
                if snapshot:
                    self._insert_rows(conn, S.snapshot_rows, rec.id, row_tuples(dict(sorted(rows.items()))))
            new_head = planned[-1][0].id
            if self.before_publish is not None:
                self.before_publish(new_head)
            if expected_head is None:
                try:
                    with conn.begin_nested():
                        conn.execute(S.refs.insert().values(name=branch, kind="branch", head=new_head))
                except sa_exc.IntegrityError:
                    raise BranchMoved(f"branch '{branch}' was created since you read it") from None
            else:
                # Compare-and-swap: the branch moves only if it is still where the caller read it.
                moved = conn.execute(
                    S.refs.update().where(S.refs.c.name == branch, S.refs.c.head == expected_head).values(head=new_head)
                )
                if moved.rowcount != 1:
                    now_at = conn.execute(sa.select(S.refs.c.head).where(S.refs.c.name == branch)).scalar()
                    raise _moved(branch, now_at)
        for rec, changes, _, _, rows, _, _ in planned[-1:]:
            if rows is None and parent in self._cache:
                rows = apply_delta(dict(self._cache[parent]), changes.items())
            if rows is not None:  # made in this commit (serialised or copied above): nobody else holds them
                self._remember(rec.id, rows, owned=True)
        return [p[0].id for p in planned]

    def create_branch(self, name: str, from_ref: str = "baseline") -> str:
        """Make a new branch pointing at a version; returns that version's id."""
        return self._add_ref(name, "branch", from_ref)

    def tag(self, name: str, ref: str) -> str:
        """Name a version with a tag (tags never move); returns the version's id."""
        return self._add_ref(name, "tag", ref)

    def _add_ref(self, name: str, kind: str, ref: str) -> str:
        _check_name(name, kind)
        with self._write() as conn:
            graph, _ = self._graph(conn)
            refs = self._refs(conn)
            if name in refs:
                have = refs[name][0]
                raise StoreError(
                    f"a {have} named '{name}' already exists (at {refs[name][1]})",
                    "Choose another name",
                )
            vid = self._resolve(ref, graph, refs)
            try:
                with conn.begin_nested():
                    conn.execute(S.refs.insert().values(name=name, kind=kind, head=vid))
            except sa_exc.IntegrityError:
                # another planner created the same name between our read and our write
                raise StoreError(
                    f"a branch or tag named '{name}' was created since you read the store", "Choose another name"
                ) from None
        return vid

    def plan_revert(self, ref: str, branch: str) -> RevertPlan:
        """Work out undoing a version's changes on top of a branch's head (nothing is written).

        Raises
        ------
        StoreError
            The version is the first one, or records it changed were changed
            again later on the branch (revert the later versions first).
        """
        with self._read() as conn:
            graph, shape = self._graph(conn)
            refs = self._refs(conn)
            if refs.get(branch, ("",))[0] != "branch":
                raise StoreError(f"no branch '{branch}'", "Run `restructure branch` to list branches")
            vid = self._resolve(ref, graph, refs)
            rec = graph.get(vid)
            if rec.parent is None:
                raise StoreError(f"cannot revert {vid}: it is the first version", "Nothing comes before it")
            head = refs[branch][1]
            before = self._rows(conn, rec.parent, graph, shape)
            after = self._rows(conn, vid, graph, shape)
            rows = self._rows(conn, head, graph, shape)
        changed = delta(before, after)
        conflicts = sorted(k for k in changed if rows.get(k) != after.get(k))
        if conflicts:
            shown = ", ".join(_record_label(k, key) for k, key in conflicts[:3])
            raise StoreError(
                f"cannot revert {vid} on '{branch}': {len(conflicts)} "
                f"{'record it changed was' if len(conflicts) == 1 else 'records it changed were'} changed again since ({shown})",
                "Revert the later versions first",
                ids=(vid,),
            )
        for k in changed:
            if k in before:
                rows[k] = before[k]
            else:
                rows.pop(k, None)
        try:
            assemble(rows)
        except ValidationFailed as exc:
            raise StoreError(
                f"cannot revert {vid} on '{branch}': later versions build on what it changed ({exc.what})",
                "Revert the later versions first",
                ids=(vid,),
            ) from None
        return RevertPlan(rec, branch, head, len(changed), rows)

    def revert(self, ref: str, branch: str, *, author: str | None = None) -> str:
        """Undo a version's changes with a new version on a branch; returns its id.

        Reverting a branch's head restores its parent's state exactly.
        """
        plan = self.plan_revert(ref, branch)
        structure = structure_from_rows(plan.rows)
        rec = plan.version
        return self.commit(
            branch, structure, message=f"Revert {rec.id}: {rec.message}", author=author,
            expected_head=plan.head,
        )


# -- scenarios -------------------------------------------------------------------------


def _record_label(kind: str, key: str) -> str:
    """A row key in planners' words: ``safer-oxfordshire discharges oxfordshire-ua (from 2028-04-01)``."""
    if kind != "relation":
        return f"{kind} {key}"
    rel_kind, source, target, area, start = (key.split("|") + [""] * 5)[:5]
    text = f"{source} {rel_kind.replace('_', ' ')} {target}" + (f" for {area}" if area else "")
    return text + (f" (from {start})" if start else "")


def scenario_base(store: Store, branch: str, base_ref: str = "baseline") -> ScenarioBase:
    """Where a scenario applied to ``branch`` starts: its head, or ``base_ref`` for a new branch.

    Apply the scenario to ``.structure``, then pass ``.expected_head`` and
    ``.base_version`` to :func:`commit_scenario`.
    """
    head = store.head(branch)
    vid = head if head is not None else store.resolve(base_ref)
    return ScenarioBase(store.checkout(vid), head, vid)


def commit_scenario(
    store: Store,
    branch: str,
    phases: Sequence[tuple[str, dt.date, Structure]],
    *,
    scenario_name: str,
    base_ref: str = "baseline",
    message: str | None = None,
    findings: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
    author: str | None = None,
    expected_head: str | None = UNSET,
    origins: Sequence[Mapping[RowKey, RowOrigin]] | None = None,
) -> list[str]:
    """Commit a scenario's phases as one version each on a branch, all or nothing.

    Parameters
    ----------
    store : Store
    branch : str
        Created from ``base_ref`` when it does not exist yet.
    phases : list of (phase name, phase date, Structure)
        The structure after each phase, in order.
    scenario_name : str
    base_ref : str
        Where a new branch starts (default the ``baseline`` branch).
    message : str, optional
        Each version's message is ``"<message or scenario name>: <phase> (<date>)"``.
    findings : list or dict, optional
        A list is kept with the last version; a dict maps phase names to lists.
    expected_head : str or None, optional
        The branch head the scenario was applied to (:func:`scenario_base`);
        ``None`` for a new branch. Default: the head when the commit starts.
    origins : list of dict, optional
        Per phase, the operation behind each changed row
        (:func:`~restructure.store.provenance.phase_origins`), recorded for
        :meth:`Store.blame` with the operations' legal bases.

    Returns
    -------
    list of str
        The new version ids, one per phase.
    """
    if expected_head is UNSET:
        expected_head = store.head(branch)
    start_from = store.resolve(base_ref) if expected_head is None else None
    items = []
    for i, (name, date, structure) in enumerate(phases):
        if isinstance(findings, Mapping):
            found = findings.get(name)
        else:
            found = findings if i == len(phases) - 1 else None
        items.append((structure, {
            "message": f"{message or scenario_name}: {name} ({date.isoformat()})",
            "author": author, "scenario": scenario_name, "phase": name, "findings": found,
            "origins": origins[i] if origins is not None else None,
        }))
    return store.commit_many(branch, items, expected_head=expected_head, start_from=start_from)


# -- recorded time ---------------------------------------------------------------------


def parse_recorded_time(text: str) -> dt.datetime:
    """A recorded time as a ref's ``@{...}`` or ``--recorded-at`` gives it, as a UTC instant.

    A date alone means the end of that day (everything recorded on it); a
    time without a zone is UTC.

    Examples
    --------
    >>> parse_recorded_time("2026-12-01").isoformat()
    '2026-12-01T23:59:59.999999+00:00'
    >>> parse_recorded_time("2026-12-01T12:00").isoformat()
    '2026-12-01T12:00:00+00:00'

    Raises
    ------
    StoreError
        Not a date or time.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StoreError(
            f"'{text}' is not a recorded time",
            "Write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC unless a zone is given), e.g. oxon-two@{2026-12-01}",
        ) from None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def at_recorded_time(ref: str, when: str | dt.datetime | None) -> str:
    """``ref`` as it stood at a recorded time: ``ref@{when}`` (``ref`` itself when ``when`` is ``None``).

    Examples
    --------
    >>> at_recorded_time("oxon-two", "2026-12-01T12:00")
    'oxon-two@{2026-12-01T12:00}'
    """
    if when is None:
        return ref
    text = when.isoformat() if isinstance(when, dt.datetime) else str(when)
    if "@{" in ref:
        raise StoreError(f"'{ref}' already names a recorded time", "Give the time once: in the ref or in --recorded-at")
    base, tilde, steps = ref.partition("~")
    return f"{base}@{{{text}}}{tilde}{steps}"


def _recorded_by(graph: VersionGraph, vid: str, name: str, when: dt.datetime, shown: str) -> str:
    """The newest version on ``vid``'s first-parent chain recorded by ``when``: the head as it stood then."""
    now = dt.datetime.now(dt.UTC)
    if when > now and not (when.time() == dt.time.max and when.date() <= now.date()):
        raise StoreError(f"recorded time {shown} is in the future", "Give a time up to now")
    first = min(rec.created for rec in graph)
    if when < first:
        raise StoreError(
            f"recorded time {shown} is before the store's first version ({first.isoformat(timespec='minutes').replace('+00:00', ' UTC')})",
            "Give a later time (`restructure log` lists versions with their times)",
        )
    for v in graph.first_parents(vid):
        if graph.get(v).created <= when:
            return v
    oldest = graph.get(graph.first_parents(vid)[-1]).created
    raise StoreError(
        f"'{name}' had no versions recorded by {shown} (its first was recorded {oldest.isoformat(timespec='minutes').replace('+00:00', ' UTC')})",
        "Give a later time",
    )


# -- helpers ---------------------------------------------------------------------------


def _alembic_config(conn: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def _moved(branch: str, head: str | None) -> BranchMoved:
    if head is None:
        return BranchMoved(f"branch '{branch}' was deleted since you read it")
    return BranchMoved(f"branch '{branch}' moved since you read it (head is now {head})")


def _find_record(structure: Structure, wanted: str, what: str):
    """An area or body by id, else by its name (case-insensitive); one line if unknown or ambiguous."""
    from ..model import Area, Body

    cls = Area if what == "area" else Body
    rec = structure.get(wanted)
    if isinstance(rec, cls):
        return rec
    pool = structure.areas() if what == "area" else structure.bodies()
    named = sorted((x for x in pool if x.name.casefold() == wanted.casefold()), key=lambda x: x.id)
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise StoreError(
            f"{len(named)} {what == 'area' and 'areas' or 'bodies'} are named '{wanted}' ({', '.join(x.id for x in named)})",
            f"Pass the {what}'s id",
            ids=tuple(x.id for x in named),
        )
    unknown = structure._unknown(wanted, what)
    raise StoreError(f"no {what} with id or name '{wanted}'", unknown.hint, ids=(wanted,))


def _check_name(name: str, what: str) -> None:
    if not _NAME.match(name) or len(name) > 200 or name.endswith((".", "/")) or ".." in name:
        raise StoreError(
            f"'{name}' is not a valid {what} name",
            "Use letters, digits and . _ - / (no spaces or ~), starting with a letter or digit",
        )


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers: still record something
        return "unknown"


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes (we store UTC); PostgreSQL aware ones in the session's zone.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0].rstrip(".") if lines else "unknown error"


def _version_id(rec: VersionRecord, rows: Sequence[RowTuple]) -> str:
    """A version's id: the sha256 of its record and its delta's rows (see :func:`row_tuples`), 12 hex digits."""
    h = hashlib.sha256()
    head = {
        "parents": list(rec.parents), "message": rec.message, "author": rec.author,
        "created": rec.created.isoformat(), "scenario": rec.scenario, "phase": rec.phase,
    }
    h.update(json.dumps(head, sort_keys=True).encode())
    # The bytes of one "\n{kind}\0{key}\0{payload}" per row ("\1" for a row removed), hashed in one
    # go; joined in C when no row is removed (a first version, most full commits).
    # (A payload is a JSON object, never empty: all() is false only when a row is removed; and
    # either way gives the same bytes for rows that are not.)
    if all(map(_PAYLOAD, rows)):
        text = "\n" + "\n".join(map("\0".join, rows)) if rows else ""
    else:
        text = "".join([f"\n{kind}\0{key}\0{chr(1) if payload is None else payload}" for kind, key, payload in rows])
    h.update(text.encode())
    return h.hexdigest()[:12]


def _plain_findings(findings: Sequence[Any] | None) -> list | None:
    if findings is None:
        return None
    out = []
    for f in findings:
        if hasattr(f, "to_dict"):
            f = f.to_dict()
        elif hasattr(f, "model_dump"):
            f = f.model_dump(mode="json")
        elif dataclasses.is_dataclass(f) and not isinstance(f, type):
            f = dataclasses.asdict(f)
        elif not isinstance(f, Mapping):
            f = {"message": str(f)}
        out.append(json.loads(json.dumps(f, default=str, sort_keys=True)))
    return out
