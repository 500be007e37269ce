"""The store's tables (SQLAlchemy Core), as the newest migration leaves them.

- ``versions``: one row per version (like a commit), with the findings of
  the checks run when it was made, as JSON; since 0003 also the branch it was
  committed to, the legal bases of its operations (JSON) and ``provenance``
  (true when these and the rows' operations were recorded).
- ``version_parents``: its parents, in order (the first is the one its rows
  are recorded against).
- ``refs``: branches and tags, each a name pointing at a version. A commit
  moves a branch with compare-and-swap on ``head``.
- ``version_rows``: the delta of each version against its first parent:
  changed or new rows with their payload, removed rows with ``payload`` NULL;
  since 0003 also ``op_index``, the operation of the phase that changed the row.
- ``version_operations`` (0003): a version's operations, by index: the
  one-line summary and the legal basis (JSON) of each.
- ``snapshot_rows``: every row of a version, kept every so many versions
  along a branch so that checking out a long history stays fast.

On SQLite both rows tables are ``WITHOUT ROWID`` since 0004: clustered by
(version, kind, key), the order they are written and read in.

Migrations (``store/migrations``) create these; a test checks that the
migrated database matches this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

__all__ = [
    "metadata", "versions", "version_parents", "refs", "version_rows", "snapshot_rows", "version_operations",
    "VERSION_TABLE", "REVISIONS", "HEAD_REVISION",
]

VERSION_TABLE = "restructure_alembic_version"
"""Alembic's revision table, named for this tool so a shared database can hold other apps' tables."""

REVISIONS = ("0001", "0002", "0003", "0004")
"""Every migration's revision, oldest first (``store/migrations/versions``): opening a store compares
its revision with these without importing alembic. A test checks them against alembic's own list."""
HEAD_REVISION = REVISIONS[-1]
"""The newest migration: an up-to-date store is at this revision."""

metadata = MetaData()

versions = Table(
    "versions",
    metadata,
    Column("id", String(12), primary_key=True),
    Column("message", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("scenario", Text),
    Column("phase", Text),
    Column("findings", Text),
    Column("depth", Integer, nullable=False),
    Column("snapshot", Boolean, nullable=False, server_default=false()),
    Column("branch", String(200)),
    Column("basis", Text),
    Column("provenance", Boolean, nullable=False, server_default=false()),
)

version_parents = Table(
    "version_parents",
    metadata,
    Column("version_id", String(12), ForeignKey("versions.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("parent_id", String(12), ForeignKey("versions.id"), nullable=False),
)

refs = Table(
    "refs",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("head", String(12), ForeignKey("versions.id"), nullable=False),
)

def _rows_table(name: str, *, removals: bool) -> Table:
    """Rows of a version (``removals``: a null payload is a row removed, and ``op_index`` names the
    operation that changed the row, since 0003) or of a full snapshot."""
    extra = [Column("op_index", Integer)] if removals else []
    return Table(
        name,
        metadata,
        Column("version_id", String(12), ForeignKey("versions.id"), primary_key=True),
        Column("kind", String(16), primary_key=True),
        Column("key", Text, primary_key=True),
        Column("payload", Text, nullable=removals),
        *extra,
        # Clustered by the key on SQLite (0004): rows are written and read by it, stored once.
        sqlite_with_rowid=False,
    )


version_operations = Table(
    "version_operations",
    metadata,
    Column("version_id", String(12), ForeignKey("versions.id"), primary_key=True),
    Column("op_index", Integer, primary_key=True),
    Column("operation", Text, nullable=False),
    Column("basis", Text),
)


version_rows = _rows_table("version_rows", removals=True)
snapshot_rows = _rows_table("snapshot_rows", removals=False)

Index("ix_version_parents_parent_id", version_parents.c.parent_id)
