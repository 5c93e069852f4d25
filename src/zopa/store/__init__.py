"""The store: scenario versions and analysis runs kept in a database (issue 16).

SQLite by default (one file in the user's data directory), PostgreSQL for a team sharing one
workspace, through the same SQLAlchemy code; the schema is created and upgraded by the Alembic
migrations shipped in :mod:`zopa.store.migrations`.

- :mod:`zopa.store.url` — which database (``--db URL``, ``ZOPA_DB``, the default file);
- :mod:`zopa.store.errors` — :class:`~zopa.store.errors.StoreError`,
  :class:`~zopa.store.errors.ConflictError`;
- :mod:`zopa.store.models` — the tables;
- :mod:`zopa.store.store` — :class:`~zopa.store.store.Store`, the only code that reads or
  writes them.

Importing this package imports nothing heavy; SQLAlchemy is imported by the modules that use it.
"""
