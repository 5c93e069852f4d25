"""Colours: one colour-blind-safe colour per party, the same in every chart of a scenario.

The palette is Okabe & Ito's (2008) eight colours, reordered so the first parties get the most
distinct ones and the pale yellow comes last; a party's colour is fixed by its position in the
scenario's list of parties, so Russia is the same vermillion in the acceptance chart, the
agreement space and the forecast.

References
----------
Okabe, M. and Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

from collections.abc import Sequence

OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (pale on white: last)
)
"""The party palette, in the order parties receive it."""

NEUTRAL = "#8C8C8C"
"""Grey for what belongs to no party (all packages, the frontier, grid marks)."""

GOOD, BAD = "#009E73", "#D55E00"
"""Accepted / rejected (also colour-blind safe: green-blue against vermillion)."""

DIVERGING = "blueorange"
"""The Vega scheme for signed changes (colour-blind safe)."""

SEQUENTIAL = "viridis"
"""The Vega scheme for shares and probabilities (colour-blind safe, prints in grey)."""


def party_colours(parties: Sequence[str]) -> dict[str, str]:
    """Return each party's colour, fixed by its position in the scenario's list of parties.

    Parameters
    ----------
    parties
        Every party id of the scenario, in the scenario's order.

    Returns
    -------
    dict
        Party id to hex colour; beyond eight parties the palette repeats.
    """
    return {p: OKABE_ITO[i % len(OKABE_ITO)] for i, p in enumerate(parties)}


def party_scale(parties: Sequence[str], shown: Sequence[str] | None = None) -> dict[str, object]:
    """Return a Vega-Lite colour scale mapping each party shown to its fixed colour.

    Parameters
    ----------
    parties
        Every party of the scenario, in order (this fixes the colours).
    shown
        The parties this chart shows (default: all), in the order of its legend.
    """
    colours = party_colours(parties)
    domain = list(parties if shown is None else shown)
    return {"domain": domain, "range": [colours[p] for p in domain]}
