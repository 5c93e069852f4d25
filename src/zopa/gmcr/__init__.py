"""The graph model for conflict resolution (GMCR): strategic models in option form.

* :mod:`zopa.gmcr.statements` — the statement language of option prioritization and
  infeasibility patterns, state vectors, vectorised evaluation over every state;
* :mod:`zopa.gmcr.compile` — a validated strategic model compiled to arrays
  (:class:`~zopa.gmcr.compile.CompiledGame`) for the stability engine.
"""
