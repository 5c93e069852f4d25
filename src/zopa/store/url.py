"""Which database the store uses, and how to show its address without the password."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ZOPA_DB"
"""The environment variable naming the store's URL."""


def default_url() -> str:
    """The SQLite file in the user's data directory (found with :mod:`platformdirs`)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('zopa')) / 'zopa.db'}"


def resolve_url(url: str | None = None) -> str:
    """The store's URL: ``url`` (``--db``), else ``$ZOPA_DB``, else :func:`default_url`.

    A plain path (no ``://``) is taken as a SQLite file.
    """
    chosen = url or os.environ.get(ENV) or default_url()
    if "://" not in chosen:
        chosen = f"sqlite:///{Path(chosen).expanduser()}"
    return chosen


def display_url(url: str) -> str:
    """The URL with its password hidden (``***``), for messages and ``zopa db status``."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url
