"""Provenance: the branch and bases of each version, its operations, and which one changed each row.

Stores made by 0002 keep every version readable: their versions have
``provenance`` false, which ``restructure blame`` shows as "before provenance
was recorded".

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["revision", "down_revision", "upgrade", "downgrade"]

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (see 0002): batch mode would copy tables other tables' foreign keys point at.
    op.add_column("versions", sa.Column("branch", sa.String(200)))
    op.add_column("versions", sa.Column("basis", sa.Text))
    op.add_column("versions", sa.Column("provenance", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("version_rows", sa.Column("op_index", sa.Integer))
    op.create_table(
        "version_operations",
        sa.Column("version_id", sa.String(12), sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("op_index", sa.Integer, primary_key=True),
        sa.Column("operation", sa.Text, nullable=False),
        sa.Column("basis", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("version_operations")
    op.drop_column("version_rows", "op_index")
    for column in ("provenance", "basis", "branch"):
        op.drop_column("versions", column)
