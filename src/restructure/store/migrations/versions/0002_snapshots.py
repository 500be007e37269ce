"""Periodic full snapshots, so that checking out a long history stays fast.

Stores made by 0001 have none; checkout replays their deltas from the first
version, and new commits add snapshots as they go.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["revision", "down_revision", "upgrade", "downgrade"]

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite allows it with a default): batch mode would copy the table,
    # which SQLite refuses while other tables' foreign keys point at it.
    op.add_column("versions", sa.Column("snapshot", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "snapshot_rows",
        sa.Column("version_id", sa.String(12), sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("snapshot_rows")
    op.drop_column("versions", "snapshot")
