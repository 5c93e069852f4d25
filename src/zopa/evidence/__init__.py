"""Evidence about the analyst's assumptions: the parties' public reactions to proposals.

:mod:`zopa.evidence.likelihood` says how likely each stance is given a party's utility of the
proposal and its walk-away point; the robust engines condition their samples on it.
"""
