"""Alembic environment: migrate the connection the store hands over.

The store opens the database, begins a transaction and passes its connection
in ``config.attributes["connection"]``; run by hand (``alembic -c
src/restructure/store/alembic.ini upgrade head``) the URL comes from
``RESTRUCTURE_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from restructure.store.schema import VERSION_TABLE, metadata

__all__: list[str] = []

def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:  # pragma: no cover - developers running alembic by hand
        engine = create_engine(os.environ.get("RESTRUCTURE_DATABASE_URL", "sqlite:///restructure.db"))
        with engine.begin() as conn:
            _run(conn)


# Alembic runs this file with its context set up; pytest's doctest collection merely imports it.
if hasattr(context, "config"):
    _main()
