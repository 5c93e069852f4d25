"""The store's Alembic migrations, run programmatically by :mod:`zopa.store.store`."""
