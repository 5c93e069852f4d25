"""The package version, read by the build backend and by ``zopa --version``."""

__version__ = "0.1.0"
