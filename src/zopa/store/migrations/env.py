"""Alembic's environment for the store: runs on the connection the store passes in.

:func:`zopa.store.store.alembic_config` builds the configuration (no ``alembic.ini``); the
store opens the connection and its transaction and puts the connection in
``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from zopa.store.models import Base


def run_migrations() -> None:
    """Run the migrations online, on the connection given by the store."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()


run_migrations()
