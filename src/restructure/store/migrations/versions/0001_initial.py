"""The first store: versions, their parents, branches and tags, rows per version.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["revision", "down_revision", "upgrade", "downgrade"]

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("id", sa.String(12), primary_key=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scenario", sa.Text),
        sa.Column("phase", sa.Text),
        sa.Column("findings", sa.Text),
        sa.Column("depth", sa.Integer, nullable=False),
    )
    op.create_table(
        "version_parents",
        sa.Column("version_id", sa.String(12), sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.String(12), sa.ForeignKey("versions.id"), nullable=False),
    )
    op.create_index("ix_version_parents_parent_id", "version_parents", ["parent_id"])
    op.create_table(
        "refs",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("head", sa.String(12), sa.ForeignKey("versions.id"), nullable=False),
    )
    op.create_table(
        "version_rows",
        sa.Column("version_id", sa.String(12), sa.ForeignKey("versions.id"), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("payload", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("version_rows")
    op.drop_table("refs")
    op.drop_index("ix_version_parents_parent_id", "version_parents")
    op.drop_table("version_parents")
    op.drop_table("versions")
