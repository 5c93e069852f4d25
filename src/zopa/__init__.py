"""zopa: analyse multi-party peace negotiations.

The public entry points for notebook users:

>>> import zopa
>>> scenario = zopa.load()            # the default scenario, berlin-2025-12
>>> scenario.id
'berlin-2025-12'
"""

from zopa._version import __version__
from zopa.catalog import load

__all__ = ["__version__", "load"]
