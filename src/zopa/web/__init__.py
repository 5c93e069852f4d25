"""The web workspace (``zopa serve``): FastAPI routes over the :mod:`zopa` facade.

Keep this module light: the job manager's child processes import :mod:`zopa.web.worker`,
and with it this package, before every run.
"""
