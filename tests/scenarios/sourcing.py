"""What a scenario cites: the source ids its facts and bases name, for the sourcing tests."""

from __future__ import annotations

from zopa.model.base import cited_sources
from zopa.model.scenario import Preferences, Scenario


def basis_texts(prefs: Preferences) -> list[str]:
    """A party's basis texts (one text, or one per key)."""
    return list(prefs.basis.values()) if isinstance(prefs.basis, dict) else [prefs.basis]


def cited_ids(s: Scenario) -> set[str]:
    """Every source id a scenario cites.

    The ``source`` of issues, options, proposals and their terms, events, reactions and the
    outcome (its package and interim steps), and the ``[id]`` citations of the preferences'
    bases and of the proposals' and reactions' notes (quotes are left out: their brackets are
    the quoted text's).
    """
    cited: set[str] = set()
    for issue in s.issues.values():
        cited.update(issue.source)
        for option in (issue.options or {}).values():
            cited.update(option.source)
    for proposal in s.proposals.values():
        cited.update(proposal.source)
        for term in proposal.terms.values():
            cited.update(term.source)
        cited.update(cited_sources(proposal.note or ""))
    for event in s.events:
        cited.update(event.source)
    for reaction in s.reactions:
        cited.update(reaction.source)
        cited.update(cited_sources(reaction.note or ""))
    for prefs in s.preferences.values():
        for text in basis_texts(prefs):
            cited.update(cited_sources(text))
    if s.outcome is not None:
        for step in (s.outcome, *s.outcome.interim):
            cited.update(step.source)
            for term in (step.package or {}).values():
                cited.update(term.source)
    return cited
