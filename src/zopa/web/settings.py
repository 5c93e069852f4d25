"""The workspace's settings: where it listens, who may use it, how much work a client may ask."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
UPLOAD_LIMIT = 2 * 1024 * 1024
"""Largest request body accepted (an uploaded or pasted scenario): 2 MiB."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Limits:
    """Server-side bounds on the work one request or one client may ask for.

    Attributes
    ----------
    max_samples
        Monte Carlo samples of a robustness run or a report.
    max_tournament_samples
        Samples of a tournament of strategies (about half a second each on one core for the
        default scenario; it runs as a job, in a worker process).
    max_timeline_samples
        Samples per date of a timeline with uncertainty (a robustness run per date, as a job).
    max_rounds
        Rounds of a simulation of the talks, or of a tournament's talks.
    max_runs_per_client, max_runs
        Runs a client, and the whole server, may have going at once.
    upload_bytes
        Largest request body.
    scenarios
        Uploaded scenarios kept in memory (least recently used dropped first).
    """

    max_samples: int = 20_000
    max_tournament_samples: int = 200
    max_timeline_samples: int = 1_000
    max_rounds: int = 200
    max_runs_per_client: int = 2
    max_runs: int = 4
    upload_bytes: int = UPLOAD_LIMIT
    scenarios: int = 32


@dataclass(frozen=True)
class Settings:
    """How the workspace runs.

    Attributes
    ----------
    source
        The scenario opened first: an embedded id or a file the operator named (None: the
        default scenario).
    host, port
        Where the server listens.
    token
        The access token; None on a loopback address without one. Required off loopback.
    scheduler
        A Dask scheduler address for robustness runs (None: a local worker process).
    db
        The store of scenario versions and runs (None: ``$ZOPA_DB``, else the SQLite file in
        the user's data directory; see :mod:`zopa.store`).
    limits
        Bounds on the work clients may ask for.
    """

    source: str | None = None
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    scheduler: str | None = None
    limits: Limits = Limits()
    db: str | None = None

    def __post_init__(self) -> None:
        if self.token is None and not is_loopback(self.host):
            raise ValueError(f"binding to {self.host} (not loopback) requires a token")
        if self.token is not None and len(self.token) < 16:
            raise ValueError("the token must be at least 16 characters long")
