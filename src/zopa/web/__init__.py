"""``zopa serve``: a local web workspace on the facade.

A FastAPI application (:func:`zopa.web.app.create_app`) with server-rendered pages (Jinja2),
a little JavaScript of its own and the Vega bundle that ``vl-convert-python`` generates; it calls
the same facade as the command line and notebooks (:mod:`zopa.api`) and never reimplements an
analysis. The optional dependencies are in the ``web`` extra (``pip install 'zopa[web]'``).

Keep this module light: the job manager's child processes import :mod:`zopa.web.worker`, and
with it this package, before every run.
"""
